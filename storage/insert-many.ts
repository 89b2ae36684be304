// Multi-row inserts for the hot path (journal group commits, their audit rows): one statement
// whatever the row count, with one array parameter per column (`insert … select * from
// unnest($1::text[], …)`) or all rows in one jsonb parameter (`jsonb_to_recordset`, cheaper to
// serialise). drizzle's builder costs ~70 µs per row and one bind parameter per value.
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

/**
 * The same multi-row insert with ALL rows in ONE jsonb parameter, unpacked by
 * `jsonb_to_recordset`: serialising rows with JSON.stringify costs a third of what node-postgres
 * spends escaping one text array per column, and JSON values (json/jsonb columns) travel as they
 * are instead of as escaped JSON text. Values of json/jsonb columns are the values themselves
 * (not JSON text); other values as for insertManySql (strings, numbers, booleans, null).
 */
export function insertRowsSql(table: PgTable, columns: readonly ColumnValues[]): SQL {
  const length = columns[0]?.[2].length ?? 0;
  for (const [column, pgType, values] of columns) {
    if (!PG_TYPE.test(pgType)) throw new TypeError(`not a Postgres type name: ${pgType}`);
    if (values.length !== length) throw new TypeError(`column ${column.name} has ${values.length} values, expected ${length}`);
  }
  // Rows as objects keyed by position (c0, c1, …): column names never need quoting inside the JSON.
  const keys = columns.map((_, index) => `c${index}`);
  const rows = new Array<Record<string, unknown>>(length);
  for (let row = 0; row < length; row++) {
    const record: Record<string, unknown> = {};
    for (let index = 0; index < columns.length; index++) record[keys[index]!] = columns[index]![2][row] ?? null;
    rows[row] = record;
  }
  const names = sql.join(columns.map(([column]) => sql.identifier(column.name)), sql`, `);
  const fields = sql.raw(keys.map((key) => `r.${key}`).join(', '));
  const definition = sql.raw(columns.map(([, pgType], index) => `${keys[index]} ${pgType}`).join(', '));
  return sql`insert into ${table} (${names}) select ${fields} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${definition})`;
}
