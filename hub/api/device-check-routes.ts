// Pre-hearing device checks (设备检测) of a hearing: a participant stores what its browser measured
// (the hub computes the verdict), the judge and clerk see every participant's latest check, a
// litigant only its own. Participants are the case's litigants and the judge and clerk of its court;
// anyone else gets 404 for the hearing, as evidence routes do for a file.
import { z } from 'zod';
import { ConflictError } from '../../platform/errors.ts';
import { DEVICE_CHECK_REASONS, DEVICE_CHECK_VERDICTS, type DeviceCheck } from '../../storage/hearings/device-check.ts';
import { listDeviceChecks } from '../../storage/hearings/list-device-checks.ts';
import { recordDeviceCheck } from '../../storage/hearings/record-device-check.ts';
import { signedInAs } from '../auth/access.ts';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { deviceCheckResultOf } from '../../actors/hearing/device-check-result.ts';
import { getLiveHearing } from '../../storage/hearings/get-live-hearing.ts';
import type { Session } from '../auth/session-token.ts';
import { paths } from '../http/paths.ts';
import { hearingOfCaseMember } from './hearing-of-member.ts';
import { defineRoute } from '../http/route.ts';
import type { HubServices } from '../services.ts';

/** Who takes part in a hearing; court administrators run the court, they do not sit in hearings. */
const participants = signedInAs('party', 'lawyer', 'institution', 'judge', 'clerk');
/** Who runs the hearing and so sees everyone's readiness. */
const HEARING_STAFF: ReadonlySet<string> = new Set(['judge', 'clerk']);

const hearingParams = z.object({ hearingId: z.uuid() });

const measurementsSchema = z.object({
  camera: z.object({
    ok: z.boolean(),
    width: z.number().int().min(1).max(16_384).nullable(),
    height: z.number().int().min(1).max(16_384).nullable(),
  }),
  microphone: z.object({ ok: z.boolean(), peakLevel: z.number().min(0).max(1).nullable().describe('Loudest sample seen, 0–1 of full scale') }),
  speaker: z.object({ confirmed: z.boolean().describe('The user heard the 440 Hz test tone') }),
  browser: z.object({ webRtc: z.boolean(), getUserMedia: z.boolean(), webAudio: z.boolean(), opus: z.boolean(), vp8: z.boolean() }),
  network: z.object({
    roundTripP50Ms: z.number().min(0).max(60_000).nullable(),
    roundTripP95Ms: z.number().min(0).max(60_000).nullable(),
    downloadMbps: z.number().min(0).max(100_000).nullable(),
    uploadMbps: z.number().min(0).max(100_000).nullable(),
  }),
});

export const deviceCheckSchema = measurementsSchema.extend({
  id: z.uuid(),
  hearingId: z.uuid(),
  account: z.object({ userId: z.uuid(), displayName: z.string(), role: z.string() }),
  verdict: z.enum(DEVICE_CHECK_VERDICTS),
  reasons: z.array(z.enum(Object.keys(DEVICE_CHECK_REASONS) as [keyof typeof DEVICE_CHECK_REASONS])).describe('Why it is not a plain pass'),
  createdAt: z.iso.datetime({ offset: true }),
});

const toListing = (check: DeviceCheck): z.input<typeof deviceCheckSchema> => ({ ...check, createdAt: check.createdAt.toISOString() });

export const recordDeviceCheckRoute = defineRoute({
  method: 'post',
  path: paths.hearingDeviceChecks,
  operationId: 'recordDeviceCheck',
  summary: 'Store the caller’s device check (设备检测) for a hearing: camera, microphone, speaker, browser, network; the hub computes the verdict',
  tags: ['device check'],
  access: participants,
  params: hearingParams,
  body: measurementsSchema,
  response: z.object({ deviceCheck: deviceCheckSchema }),
  successStatus: 201,
  errors: ['NOT_FOUND', 'CONFLICT'],
  async handle({ session, params, body, services }) {
    const caller = session as Session;
    const hearing = await hearingOfCaseMember(services, caller, params.hearingId);
    // Any time before the hearing, even weeks ahead; but not for one that will not take place.
    if (hearing.state === 'cancelled') throw new ConflictError('The hearing was cancelled');
    const check = await recordDeviceCheck({
      db: services.database.db,
      hearing: { id: hearing.id, caseId: hearing.caseId },
      measurements: body,
      actor: { userId: caller.userId, role: caller.role },
    });
    await tellHearingActor(services, caller, check);
    return { deviceCheck: toListing(check) };
  },
});

/**
 * The stored check also moves the caller's participant to "device checked" in the hearing actor
 * (what the clerk's screen shows). Best effort: the stored check stands even when the actor refuses
 * (a hearing already over, a caller who is court staff but not invited).
 */
async function tellHearingActor(services: HubServices, caller: Session, check: DeviceCheck): Promise<void> {
  const live = await getLiveHearing({ db: services.database.db, hearingId: check.hearingId, accountId: caller.userId });
  if (!live?.me) return;
  const result = deviceCheckResultOf(check);
  if (!result) return;
  const reply = await services.actors.ask(
    { kind: HEARING_KIND, id: check.hearingId },
    { type: 'DEVICE_CHECKED', by: { userId: caller.userId, role: caller.role }, participantId: live.me.participantId, result },
  );
  if (!reply.ok) services.logger.info('device check not passed to the hearing actor', { hearingId: check.hearingId, code: reply.error.code });
}

export const listDeviceChecksRoute = defineRoute({
  method: 'get',
  path: paths.hearingDeviceChecks,
  operationId: 'listDeviceChecks',
  summary: 'Latest device check of each participant of a hearing, newest first (judge and clerk: everyone; others: their own)',
  tags: ['device check'],
  access: participants,
  params: hearingParams,
  response: z.object({ deviceChecks: z.array(deviceCheckSchema) }),
  errors: ['NOT_FOUND'],
  async handle({ session, params, services }) {
    const caller = session as Session;
    const hearing = await hearingOfCaseMember(services, caller, params.hearingId);
    const checks = await listDeviceChecks({
      db: services.database.db,
      hearingId: hearing.id,
      ...(HEARING_STAFF.has(caller.role) ? {} : { userId: caller.userId }),
    });
    return { deviceChecks: checks.map(toListing) };
  },
});

export const deviceCheckRoutes = [recordDeviceCheckRoute, listDeviceChecksRoute];
