/**
 * A license token as it may be pasted or read from a file: a compact JWS has no whitespace, so any
 * (a trailing newline, a line wrapped by a mail client) is dropped.
 */
export function normalizeLicenseToken(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * Files larger than this are refused before they are read into the page. Deliberately far above
 * the largest license the API takes, so it never refuses a license the API would accept; the API
 * has the last word on the size and says so in its own message.
 */
export const LICENSE_FILE_LIMIT_BYTES = 64 * 1024;

/** Why a chosen file cannot be a license, or null when it may be read. */
export function checkLicenseFile(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty`;
  if (file.size > LICENSE_FILE_LIMIT_BYTES)
    return `${file.name} is ${Math.ceil(file.size / 1024).toLocaleString()} KiB, too large to be a license`;
  return null;
}

export type AllocationInput = { userCap: number | null; problem: null } | { userCap: null; problem: string };

/**
 * The `userCap` for what was typed in an allocation field (a number input gives a number, or an
 * empty string when cleared): empty removes the allocation, else a whole number of at least 1.
 * Whether it fits the license is the API's to say (LICENSE_OVER_ALLOCATED names by how much).
 */
export function parseAllocation(value: string | number): AllocationInput {
  const text = String(value).trim();
  if (text === '') return { userCap: null, problem: null };
  const n = Number(text);
  if (!Number.isFinite(n) || !Number.isInteger(n))
    return { userCap: null, problem: 'Must be a whole number' };
  if (n < 1) return { userCap: null, problem: 'Must be at least 1 (leave empty to remove the allocation)' };
  return { userCap: n, problem: null };
}
