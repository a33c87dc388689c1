/**
 * Deterministic ordering shared by the analysis modules: by UTF-16 code units, the same on every
 * machine and locale (localeCompare is not), so sorted rings and ids are reproducible.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
