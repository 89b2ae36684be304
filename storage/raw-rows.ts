// Reading raw `db.execute()` results the same way on both drivers.

/** The rows of a raw `db.execute()` result: both pg and PGlite answer `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  const rows = (result as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
