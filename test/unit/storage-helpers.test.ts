// Pure parts of storage: recognising driver errors, building unnest inserts, the visibility rule.
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { postgresErrorOf, uniqueViolationOf } from '../../storage/database-errors.ts';
import { insertManySql, jsonText } from '../../storage/insert-many.ts';
import { actorJournal } from '../../storage/schema.ts';
import { visibleCasesCondition } from '../../storage/cases/case-visibility.ts';
import { rowsOf } from '../../storage/raw-rows.ts';
import { isUuid } from '../../storage/ids.ts';
import { openDatabase, DatabaseOptionsError } from '../../storage/database.ts';

const dialect = new PgDialect();
const USER = '3f2c1d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const COURT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('database errors', () => {
  it('finds the SQLSTATE through drizzle’s wrapping cause chain', () => {
    const driverError = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'users_username_unique', detail: 'Key (username)=(a) already exists.' });
    const wrapped = new Error('Failed query: insert …', { cause: driverError });
    expect(postgresErrorOf(wrapped)).toEqual({ code: '23505', constraint: 'users_username_unique', detail: 'Key (username)=(a) already exists.' });
    expect(uniqueViolationOf(new Error('outer', { cause: wrapped }))?.constraint).toBe('users_username_unique');
  });

  it('ignores errors that are not unique violations or carry no SQLSTATE', () => {
    expect(uniqueViolationOf(Object.assign(new Error('fk'), { code: '23503' }))).toBeNull();
    expect(postgresErrorOf(Object.assign(new Error('node'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(postgresErrorOf('text')).toBeNull();
    expect(postgresErrorOf(null)).toBeNull();
  });
});

describe('insertManySql', () => {
  it('sends one array parameter per column, whatever the row count', () => {
    const query = dialect.sqlToQuery(
      insertManySql(actorJournal, [
        [actorJournal.kind, 'text', ['case', 'case', 'case']],
        [actorJournal.seq, 'int', [1, 2, 3]],
        [actorJournal.event, 'jsonb', [jsonText({ type: 'A' }), jsonText({ type: 'B' }), null]],
      ]),
    );
    expect(query.sql).toBe('insert into "actor_journal" ("kind", "seq", "event") select * from unnest($1::text[], $2::int[], $3::jsonb[])');
    expect(query.params).toEqual([['case', 'case', 'case'], [1, 2, 3], ['{"type":"A"}', '{"type":"B"}', null]]);
  });

  it('refuses ragged columns and odd type names', () => {
    expect(() => insertManySql(actorJournal, [[actorJournal.kind, 'text', ['a']], [actorJournal.seq, 'int', [1, 2]]])).toThrow(/seq has 2 values/);
    expect(() => insertManySql(actorJournal, [[actorJournal.kind, 'text); drop table x; --', ['a']]])).toThrow(/not a Postgres type/);
  });

  it('turns absent JSON into SQL null', () => {
    expect(jsonText(undefined)).toBeNull();
    expect(jsonText(null)).toBeNull();
    expect(jsonText(['不属于本院管辖'])).toBe('["不属于本院管辖"]');
  });
});

describe('case visibility', () => {
  const render = (viewer: Parameters<typeof visibleCasesCondition>[0]) => {
    const condition = visibleCasesCondition(viewer);
    return condition === null ? null : dialect.sqlToQuery(condition);
  };

  it('limits court staff to their court', () => {
    for (const role of ['judge', 'clerk', 'courtAdmin']) {
      const query = render({ userId: USER, role, courtId: COURT })!;
      expect(query.sql).toContain('"cases"."court_id" = $1');
      expect(query.params).toEqual([COURT]);
    }
  });

  it('limits litigants to cases they filed or are a party to, ignoring any court id', () => {
    for (const role of ['party', 'lawyer', 'institution']) {
      const query = render({ userId: USER, role, courtId: COURT })!;
      expect(query.sql).toContain('"cases"."filed_by" = $1');
      expect(query.sql).toContain('"case_parties"."user_id" = $2');
      expect(query.params).toEqual([USER, USER]);
    }
  });

  it('shows nothing to unknown roles, staff without a court, or malformed ids', () => {
    expect(render({ userId: USER, role: 'admin', courtId: COURT })).toBeNull();
    expect(render({ userId: USER, role: 'judge', courtId: null })).toBeNull();
    expect(render({ userId: USER, role: 'judge', courtId: 'x' })).toBeNull();
    expect(render({ userId: 'not-a-uuid', role: 'party', courtId: null })).toBeNull();
  });
});

describe('small helpers', () => {
  it('reads rows from either driver’s result and tolerates anything else', () => {
    expect(rowsOf<{ n: number }>({ rows: [{ n: 1 }] })).toEqual([{ n: 1 }]);
    expect(rowsOf(undefined)).toEqual([]);
  });

  it('recognises uuids', () => {
    expect(isUuid(USER)).toBe(true);
    expect(isUuid(USER.toUpperCase())).toBe(true);
    expect(isUuid('1; drop table cases')).toBe(false);
  });

  it('refuses to open a database without saying which', async () => {
    await expect(openDatabase({})).rejects.toBeInstanceOf(DatabaseOptionsError);
  });
});
