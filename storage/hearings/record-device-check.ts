// Stores one participant's pre-hearing device check (设备检测) with the verdict the hub computed
// from its figures, and its audit row, in one transaction. Who may record is the caller's job.
import { eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { hearingDeviceChecks, users } from '../schema.ts';
import { writeAudit, type AuditActor } from '../audit/write-audit.ts';
import { deviceCheckVerdict, type DeviceCheck, type DeviceCheckMeasurements } from './device-check.ts';

export interface RecordDeviceCheckOptions {
  db: Db;
  hearing: { id: string; caseId: string };
  measurements: DeviceCheckMeasurements;
  /** The participant who ran the check (a signed-in account). */
  actor: AuditActor & { userId: string };
}

export async function recordDeviceCheck({ db, hearing, measurements: m, actor }: RecordDeviceCheckOptions): Promise<DeviceCheck> {
  // The figures are the browser's; the verdict is ours, so a client cannot store "pass" for a failing check.
  const { verdict, reasons } = deviceCheckVerdict(m);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(hearingDeviceChecks)
      .values({
        hearingId: hearing.id,
        userId: actor.userId,
        cameraOk: m.camera.ok,
        cameraWidth: m.camera.width,
        cameraHeight: m.camera.height,
        microphoneOk: m.microphone.ok,
        microphonePeak: m.microphone.peakLevel,
        speakerConfirmed: m.speaker.confirmed,
        browser: m.browser,
        roundTripP50Ms: m.network.roundTripP50Ms,
        roundTripP95Ms: m.network.roundTripP95Ms,
        downloadMbps: m.network.downloadMbps,
        uploadMbps: m.network.uploadMbps,
        verdict,
        reasons,
      })
      .returning({ id: hearingDeviceChecks.id, createdAt: hearingDeviceChecks.createdAt });
    if (!row) throw new Error('insert into hearing_device_checks returned no row');
    const [account] = await tx.select({ displayName: users.displayName, role: users.role }).from(users).where(eq(users.id, actor.userId)).limit(1);
    await writeAudit(tx, {
      actor,
      action: 'hearing.deviceCheck',
      subjectKind: 'hearing',
      subjectId: hearing.id,
      detail: { deviceCheckId: row.id, caseId: hearing.caseId, verdict, reasons },
    });
    return {
      id: row.id,
      hearingId: hearing.id,
      account: { userId: actor.userId, displayName: account?.displayName ?? '', role: account?.role ?? actor.role ?? '' },
      ...m,
      verdict,
      reasons,
      createdAt: row.createdAt,
    };
  });
}
