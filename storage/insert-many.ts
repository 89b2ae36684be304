// Multi-row inserts for the hot path (journal group commits, their audit rows): one statement
// with one array parameter per column (`insert … select * from unnest($1::text[], …)`), whatever
// the row count. drizzle's builder costs ~70 µs per row and one bind parameter per value.
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/** A column, its Postgres type for the array cast, and one value per row (null allowed). */
export type ColumnValues = readonly [column: PgColumn, pgType: string, values: readonly unknown[]];

const PG_TYPE = /^[a-z][a-z0-9 ]*$/;

export function insertManySql(table: PgTable, columns: readonly ColumnValues[]): SQL {
  const length = columns[0]?.[2].length ?? 0;
  for (const [column, pgType, values] of columns) {
    if (!PG_TYPE.test(pgType)) throw new TypeError(`not a Postgres type name: ${pgType}`);
    if (values.length !== length) throw new TypeError(`column ${column.name} has ${values.length} values, expected ${length}`);
  }
  const names = sql.join(columns.map(([column]) => sql.identifier(column.name)), sql`, `);
  const arrays = sql.join(columns.map(([, pgType, values]) => sql`${sql.param(values)}::${sql.raw(pgType)}[]`), sql`, `);
  return sql`insert into ${table} (${names}) select * from unnest(${arrays})`;
}

/** JSON values travel as text and are cast to jsonb in the statement. */
export const jsonText = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
