// The latest device check of each participant of one hearing (or of one account only), newest
// first; who may see which is the caller's job.
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { isUuid } from '../ids.ts';
import { hearingDeviceChecks, users } from '../schema.ts';
import { isDeviceCheckReason, type DeviceCheck } from './device-check.ts';

export interface ListDeviceChecksOptions {
  db: Db;
  hearingId: string;
  /** Only this account's latest check (a party sees only its own). */
  userId?: string;
}

export async function listDeviceChecks({ db, hearingId, userId }: ListDeviceChecksOptions): Promise<DeviceCheck[]> {
  if (!isUuid(hearingId) || (userId !== undefined && !isUuid(userId))) return [];
  const conditions: SQL[] = [eq(hearingDeviceChecks.hearingId, hearingId.toLowerCase())];
  if (userId !== undefined) conditions.push(eq(hearingDeviceChecks.userId, userId.toLowerCase()));
  const c = hearingDeviceChecks;
  // Latest per account first (DISTINCT ON), then newest first in SQL: created_at has microseconds, a JS Date does not.
  const latest = db
    .selectDistinctOn([c.userId], { id: c.id, createdAt: c.createdAt })
    .from(c)
    .where(and(...conditions))
    .orderBy(c.userId, desc(c.createdAt), desc(c.id))
    .as('latest');
  const rows = await db
    .select({ check: c, displayName: users.displayName, role: users.role })
    .from(latest)
    .innerJoin(c, eq(c.id, latest.id))
    .innerJoin(users, eq(users.id, c.userId))
    .orderBy(desc(latest.createdAt), desc(latest.id));
  return rows.map(({ check: row, displayName, role }): DeviceCheck => ({
    id: row.id,
    hearingId: row.hearingId,
    account: { userId: row.userId, displayName, role },
    camera: { ok: row.cameraOk, width: row.cameraWidth, height: row.cameraHeight },
    microphone: { ok: row.microphoneOk, peakLevel: row.microphonePeak },
    speaker: { confirmed: row.speakerConfirmed },
    browser: row.browser,
    network: { roundTripP50Ms: row.roundTripP50Ms, roundTripP95Ms: row.roundTripP95Ms, downloadMbps: row.downloadMbps, uploadMbps: row.uploadMbps },
    verdict: row.verdict,
    // Codes an older rule wrote and this one no longer knows are left out rather than shown raw.
    reasons: row.reasons.filter(isDeviceCheckReason),
    createdAt: row.createdAt,
  }));
}
