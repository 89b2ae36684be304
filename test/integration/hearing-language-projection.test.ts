// A hearing's language (庭审语言) from the case's journal into the hearings read table, where the
// hearing spawner reads it (list-unspawned-hearings.ts) to pass it into the hearing actor's SCHEDULE;
// a hearing scheduled without one reads null (the hearing actor stamps the hub's default). On
// embedded PGlite and on real Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUnspawnedHearings } from '../../storage/hearings/list-unspawned-hearings.ts';
import { caseProjection } from '../../storage/journal/case-projection.ts';
import { createSqlJournal } from '../../storage/journal/sql-journal.ts';
import { caseRecord, newId, openMigratedPglite, openMigratedPostgres, type OpenedTestDatabase } from '../support/storage.ts';

function projectsLanguage(open: () => Promise<OpenedTestDatabase>) {
  let opened: OpenedTestDatabase;
  beforeAll(async () => {
    opened = await open();
  }, 60_000);
  afterAll(async () => opened?.dispose());

  it('keeps the chosen language of a scheduled hearing, and null where none was chosen', async () => {
    const journal = createSqlJournal({ db: opened.database.db, projections: { case: caseProjection } });
    const courtId = newId();
    const clerk = { userId: newId(), role: 'clerk' };
    let caseNumber = 0;
    /** An accepted case with one hearing scheduled in `language` (absent: none chosen). */
    const scheduled = async (language?: 'zh' | 'en') => {
      const [caseId, hearingId] = [newId(), newId()];
      await journal.commit([
        caseRecord(caseId, 1, 'filed', {
          type: 'FILE',
          by: { userId: newId(), role: 'party' },
          filing: { courtId, cause: '民间借贷纠纷', claims: '归还借款', plaintiffs: [{ name: '张三', kind: 'person' }], defendants: [{ name: '李四', kind: 'person' }] },
        }),
        caseRecord(caseId, 2, 'accepted', { type: 'ACCEPT', by: clerk, caseNumber: `(2026)京0105民初${++caseNumber}号` }),
        caseRecord(caseId, 3, 'hearingScheduled', {
          type: 'SCHEDULE_HEARING',
          by: clerk,
          hearingId,
          startsAt: '2026-12-01T01:00:00.000Z',
          courtroom: '第一法庭',
          ...(language ? { language } : {}),
        }),
      ]);
      return { caseId, hearingId };
    };
    const chinese = await scheduled('zh');
    const unchosen = await scheduled();
    expect(await listUnspawnedHearings({ db: opened.database.db, caseId: chinese.caseId })).toEqual([
      expect.objectContaining({ hearingId: chinese.hearingId, courtId, courtroom: '第一法庭', language: 'zh' }),
    ]);
    expect(await listUnspawnedHearings({ db: opened.database.db, caseId: unchosen.caseId })).toEqual([
      expect.objectContaining({ hearingId: unchosen.hearingId, language: null }),
    ]);
  });
}

describe('hearing language projection on PGlite', () => projectsLanguage(openMigratedPglite));
describe('hearing language projection on Postgres', () => projectsLanguage(openMigratedPostgres));
