// The cases a stage hook may still owe a document (for the issuer's pass at start): accepted cases (they
// have a number) without their 受理通知书 or without the 应诉通知书 of one of their defendants, with a
// scheduled hearing without the 传票 of one of its parties (plaintiffs and defendants, one each, by addressee
// key), with a journalled judgment without its 民事判决书, or with journalled service (RECORD_SERVICE: 'served' and
// the states after it) without the 送达回证 of one of its plaintiffs and defendants. A case refused for incomplete data stays on the
// list until it is issued: each start tries again (the refusal is recorded once). Oldest filings first.
import { asc, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { cases } from '../schema.ts';
import { ADDRESSEE_KEY_SQL } from './case-issuing-facts.ts';

const ADDRESSEE = sql.raw(ADDRESSEE_KEY_SQL);

export async function listCasesWithDocumentsDue({ db }: { db: Db }): Promise<string[]> {
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .where(
      sql`${cases.caseNumber} is not null and (
        not exists (select 1 from documents d where d.case_id = ${cases.id} and d.kind = 'acceptanceNotice' and d.hearing_id is null)
        or exists (select 1 from case_parties p where p.case_id = ${cases.id} and p.side = 'defendant'
                   and not exists (select 1 from documents d where d.case_id = ${cases.id} and d.kind = 'noticeToRespond'
                                   and d.hearing_id is null and d.addressee = ${ADDRESSEE}))
        or exists (select 1 from hearings h join case_parties p on p.case_id = h.case_id
                   where h.case_id = ${cases.id} and h.state = 'scheduled' and p.side in ('plaintiff', 'defendant')
                   and not exists (select 1 from documents d where d.hearing_id = h.id and d.kind = 'summons' and d.addressee = ${ADDRESSEE}))
        or (exists (select 1 from actor_journal j where j.kind = 'case' and j.actor_id = ${cases.id}::text and j.event->>'type' = 'ISSUE_JUDGMENT')
            and not exists (select 1 from documents d where d.case_id = ${cases.id} and d.kind = 'civilJudgment' and d.hearing_id is null))
        or (exists (select 1 from actor_journal j where j.kind = 'case' and j.actor_id = ${cases.id}::text and j.event->>'type' = 'RECORD_SERVICE')
            and exists (select 1 from case_parties p where p.case_id = ${cases.id} and p.side in ('plaintiff', 'defendant')
                        and not exists (select 1 from documents d where d.case_id = ${cases.id} and d.kind = 'proofOfService'
                                        and d.hearing_id is null and d.addressee = ${ADDRESSEE})))
      )`,
    )
    .orderBy(asc(cases.filedAt));
  return rows.map((row) => row.id);
}
