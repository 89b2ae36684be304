// The life of a civil case as a list of real case commands (filing to closing), and the court,
// party and judge rows those commands need. Shared by the actor benchmark and the distributed tests.
import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '../../hub/auth/password.ts';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import type { CaseCommand } from '../../actors/case/case.protocol.ts';
import type { ActorJournal } from '../../actors/runtime/types.ts';
import { SYSTEM_ACTOR } from '../../storage/audit/write-audit.ts';
import { createCourt } from '../../storage/courts/create-court.ts';
import type { Db } from '../../storage/database.ts';
import { createUser } from '../../storage/users/create-user.ts';

export interface CourtFixture {
  courtId: string;
  party: { userId: string; role: 'party' };
  judge: { userId: string; role: 'judge' };
}

/** Low scrypt cost: these accounts never log in, but their hashes are real. */
const FIXTURE_COST = { N: 1024, r: 8, p: 1 };

export async function createCourtFixture(db: Db, cipher: PersonalDataCipher, code = '京0105'): Promise<CourtFixture> {
  const court = await createCourt({
    db,
    court: { code, name: '北京市朝阳区人民法院', nameEn: 'Beijing Chaoyang District People’s Court', region: '北京市朝阳区' },
    actor: SYSTEM_ACTOR,
  });
  const tag = randomBytes(3).toString('hex');
  const party = await createUser({
    db,
    cipher,
    user: { username: `party-${tag}`, displayName: '张三', role: 'party', passwordHash: await hashPassword(randomBytes(12).toString('hex'), FIXTURE_COST) },
    actor: SYSTEM_ACTOR,
  });
  const judge = await createUser({
    db,
    cipher,
    user: {
      username: `judge-${tag}`,
      displayName: '李法官',
      role: 'judge',
      courtId: court.id,
      passwordHash: await hashPassword(randomBytes(12).toString('hex'), FIXTURE_COST),
    },
    actor: SYSTEM_ACTOR,
  });
  return { courtId: court.id, party: { userId: party.id, role: 'party' }, judge: { userId: judge.id, role: 'judge' } };
}

/** The states a case passes through, one per command of caseLifeCommands(). */
export const CASE_LIFE_STATES = ['filed', 'underReview', 'accepted', 'hearingScheduled', 'heard', 'judgmentIssued', 'served', 'closed'] as const;

/** Filing → review → acceptance → hearing → judgment → service → closing, as the actor receives them. */
export function caseLifeCommands(fixture: CourtFixture, index = 0): CaseCommand[] {
  const hearingId = randomUUID();
  const judge = fixture.judge;
  return [
    {
      type: 'FILE',
      by: fixture.party,
      filing: {
        courtId: fixture.courtId,
        cause: '民间借贷纠纷',
        claims: `判令被告归还借款本金${10000 + index}元及利息`,
        claimAmount: `${10000 + index}.00`,
        facts: '原告于2025年出借款项，被告到期未还。',
        plaintiffs: [{ name: '张三', kind: 'person', userId: fixture.party.userId }],
        defendants: [{ name: '某某贸易有限公司', kind: 'organisation' }],
      },
    },
    { type: 'BEGIN_REVIEW', by: judge },
    { type: 'ACCEPT', by: judge },
    { type: 'SCHEDULE_HEARING', by: judge, hearingId, startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), courtroom: '第三法庭' },
    { type: 'RECORD_HEARING_HELD', by: judge, hearingId },
    { type: 'ISSUE_JUDGMENT', by: judge, summary: '被告于判决生效之日起十日内归还借款本金及利息。' },
    { type: 'RECORD_SERVICE', by: judge },
    { type: 'CLOSE', by: judge },
  ];
}

/** The journal with each group commit's duration recorded in `commitMs` (for the commit p50 column). */
export function timedJournal(journal: ActorJournal, commitMs: number[]): ActorJournal {
  return {
    ...journal,
    async commit(records) {
      const started = performance.now();
      await journal.commit(records);
      commitMs.push(performance.now() - started);
    },
  };
}
