// The case actor's hearings come to life as hearing actors: after a case journals SCHEDULE_HEARING
// (its event batch on the bus) — and once at start, for any hearing scheduled while no spawner ran —
// every scheduled hearing without a hearing actor gets one (SCHEDULE with its invitees). A repeat is
// harmless: SCHEDULE only creates, so the actor refuses a second one.
import type { Bus } from '../bus/bus.ts';
import { startEventBatchReactor } from '../runtime/event-batch-reactor.ts';
import type { ActorClient } from '../runtime/types.ts';
import type { Db } from '../../storage/database.ts';
import { listHearingInvitees } from '../../storage/hearings/list-hearing-invitees.ts';
import { listUnspawnedHearings } from '../../storage/hearings/list-unspawned-hearings.ts';
import type { Logger } from '../../platform/logger.ts';
import { HEARING_KIND } from '../hearing/hearing-behaviour.ts';
import { SYSTEM_SENDER } from '../hearing/hearing.protocol.ts';

export interface HearingSpawner {
  /** Spawns what is missing (of one case, or everywhere); resolves when done. */
  reconcile(caseId?: string): Promise<void>;
  stop(): Promise<void>;
}

export function startHearingSpawner({ bus, db, actors, logger }: { bus: Bus; db: Db; actors: ActorClient; logger: Logger }): HearingSpawner {
  const log = logger.child({ component: 'hearing-spawner' });

  const spawnMissing = async (caseId: string | undefined, stopped: () => boolean) => {
    for (const hearing of await listUnspawnedHearings({ db, ...(caseId ? { caseId } : {}) })) {
      if (stopped()) return;
      const invitees = await listHearingInvitees({ db, hearingId: hearing.hearingId, caseId: hearing.caseId, courtId: hearing.courtId });
      if (invitees.length === 0) {
        log.warn('hearing has nobody to invite; not spawned', { hearingId: hearing.hearingId });
        continue;
      }
      const reply = await actors.ask(
        { kind: HEARING_KIND, id: hearing.hearingId },
        {
          type: 'SCHEDULE',
          by: SYSTEM_SENDER,
          caseId: hearing.caseId,
          courtId: hearing.courtId,
          courtroom: hearing.courtroom,
          startsAt: hearing.startsAt.toISOString(),
          ...(hearing.language ? { language: hearing.language } : {}),
          participants: invitees.map(({ participantId, accountId, role, displayName, courtId }) => ({ participantId, accountId, role, displayName, courtId })),
        },
      );
      if (reply.ok) log.info('hearing actor spawned', { hearingId: hearing.hearingId, participants: invitees.length });
      else log.warn('hearing actor not spawned', { hearingId: hearing.hearingId, code: reply.error.code, reason: reply.error.message });
    }
  };

  // One pass at a time: a burst of schedulings must not spawn the same hearing twice concurrently.
  return startEventBatchReactor({
    bus,
    kind: 'case',
    eventTypes: new Set(['SCHEDULE_HEARING']),
    log,
    failure: 'spawning hearing actors failed',
    idle: () => undefined,
    pass: spawnMissing,
  });
}
