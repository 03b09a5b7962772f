/**
 * `decodeURIComponent` for text from the request line and headers: undefined instead of an
 * exception for malformed percent-encoding (`%ZZ`), and for a NUL character, which no name, slug or
 * token contains and PostgreSQL refuses in text.
 */
export function decodeComponent(text: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    return undefined;
  }
  return hasNul(decoded) ? undefined : decoded;
}

/** Whether `text` holds a NUL character. */
export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}
