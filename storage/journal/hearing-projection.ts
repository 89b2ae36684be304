// Projects the hearing actor's journal into hearing_live (state + client-safe summary, one upsert
// per hearing per commit) and hearing_participants (who may act as which participant), as writes
// of the journal's one commit statement. The journal itself is the audit trail of hearing events.
import { sql } from 'drizzle-orm';
import type { JournalRecord } from '../../actors/runtime/types.ts';
import { hearingSummaryOf } from '../../actors/hearing/hearing-behaviour.ts';
import type { HearingContext } from '../../actors/hearing/hearing.machine.ts';
import { insertRowsSql } from '../insert-many.ts';
import { hearingLive, hearingParticipants } from '../hearings/live-schema.ts';
import type { Projection, ProjectionWrite } from './sql-journal.ts';

/** Events after which the participant list may have changed. */
const PARTICIPANT_EVENTS = new Set(['SCHEDULE', 'INVITE']);

export const hearingProjection: Projection = (records) => {
  // The last record of each hearing in this commit carries its newest state and context.
  const latest = new Map<string, JournalRecord>();
  const joined = new Set<string>();
  for (const record of records) {
    latest.set(record.id, record);
    if (PARTICIPANT_EVENTS.has(record.event.type)) joined.add(record.id);
  }
  const hearings = [...latest.values()];
  const writes: ProjectionWrite[] = [
    {
      statement: sql`${insertRowsSql(hearingLive, [
        [hearingLive.hearingId, 'uuid', hearings.map((r) => r.id)],
        [hearingLive.caseId, 'uuid', hearings.map((r) => context(r).caseId)],
        [hearingLive.courtId, 'uuid', hearings.map((r) => context(r).courtId)],
        [hearingLive.state, 'text', hearings.map((r) => r.state)],
        [hearingLive.lastSeq, 'int', hearings.map((r) => r.seq)],
        [hearingLive.summary, 'jsonb', hearings.map((r) => hearingSummaryOf(context(r)))],
        [hearingLive.updatedAt, 'timestamptz', hearings.map((r) => r.at)],
      ])} on conflict (hearing_id) do update set case_id = excluded.case_id, court_id = excluded.court_id,
        state = excluded.state, last_seq = excluded.last_seq, summary = excluded.summary, updated_at = excluded.updated_at
        where hearing_live.last_seq < excluded.last_seq`,
    },
  ];
  const participants = [...joined].flatMap((id) => Object.values(context(latest.get(id)!).participants).map((p) => ({ id, p })));
  if (participants.length > 0) {
    writes.push({
      statement: sql`${insertRowsSql(hearingParticipants, [
        [hearingParticipants.hearingId, 'uuid', participants.map(({ id }) => id)],
        [hearingParticipants.participantId, 'text', participants.map(({ p }) => p.participantId)],
        [hearingParticipants.accountId, 'uuid', participants.map(({ p }) => p.accountId)],
        [hearingParticipants.role, 'text', participants.map(({ p }) => p.role)],
        [hearingParticipants.displayName, 'text', participants.map(({ p }) => p.displayName)],
        [hearingParticipants.courtId, 'uuid', participants.map(({ p }) => p.courtId)],
      ])} on conflict (hearing_id, participant_id) do nothing`,
    });
  }
  return writes;
};

const context = (record: JournalRecord): HearingContext => record.context as unknown as HearingContext;
