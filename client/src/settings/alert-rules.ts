/** "30, 7, 1" → [30, 7, 1]; null when a part is not a whole number (the API checks the ranges). */
export function parseLevels(text: string): number[] | null {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}

/** [30, 7, 1] → "30, 7, 1". */
export function formatLevels(levels: readonly number[]): string {
  return levels.join(', ');
}
