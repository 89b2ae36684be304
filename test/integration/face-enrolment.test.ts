// 人脸采集 and 活体检测 on real Postgres with the real face models: enrolment from a selfie (descriptor and
// image sealed, identity check and audit rows), refused images, image retention and its purge, the live
// check passing for the enrolled person turning their head and refused for someone else, a replayed,
// foreign, misdirected or expired token, still frames, a frame without a face, and a user never enrolled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { FaceService } from '../../models/face/face-service.ts';
import { parseConfig } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { silentLogger } from '../../platform/logger.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { listAudit } from '../../storage/audit/list-audit.ts';
import { faceEnrolments, identityChecks } from '../../storage/identity/schema.ts';
import { purgeFaceImages } from '../../storage/identity/purge-face-images.ts';
import { users } from '../../storage/schema.ts';
import type { HubServices } from '../../hub/services.ts';
import { enrolFace, enrolledDescriptorOf, hasFaceEnrolment } from '../../hub/identity/face-enrolments.ts';
import { issueLivenessChallenge, recentPassedFaceCheck, verifyLiveFace, type LiveCheckPurpose } from '../../hub/identity/live-face-check.ts';
import { signFaceCheckToken } from '../../hub/identity/face-check-token.ts';
import { compose, cameraFrame, encodeJpeg, encodePng, fixtureBytes, fixtureRaster } from '../support/face-images.ts';
import { turningFrames, TURN_SHARES } from '../support/face-checks.ts';
import { probePostgres } from '../support/services.ts';
import { newId, openMigratedPostgres, testCipher, type OpenedTestDatabase } from '../support/storage.ts';

const postgres = await probePostgres();

describe.skipIf(!postgres.available)(`face enrolment and live face checks on Postgres${postgres.skipReason}`, () => {
  let opened: OpenedTestDatabase;
  let faces: FaceService;
  let blobs: LocalBlobStore;
  let blobDir: string;
  const cipher = testCipher();
  const sessionSecret = randomBytes(32);
  const astronaut = fixtureRaster('astronaut.png');
  const hopper = fixtureRaster('grace-hopper.jpg');

  /** The hub's services with these parts (a hub is not needed to call the modules). */
  const services = (retentionDays = 30): HubServices =>
    ({
      config: parseConfig({ ECOURT_FACE_IMAGE_RETENTION_DAYS: String(retentionDays) }),
      logger: silentLogger,
      database: opened.database,
      cipher,
      sessionSecret,
      blobs,
      faces,
    }) as unknown as HubServices;

  const newUser = async (): Promise<string> => {
    const [user] = await opened.database.db.insert(users).values({ username: `face-${newId()}`, displayName: '孙丽', role: 'party', passwordHash: 'x' }).returning();
    return user!.id;
  };

  async function refusal(promise: Promise<unknown>): Promise<AppError> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  }

  /** A challenge of the wanted kind (challenges are random: ask until one comes). */
  const challengeOf = (hub: HubServices, userId: string, purpose: LiveCheckPurpose, wanted: 'turnLeft' | 'turnRight') => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const issued = issueLivenessChallenge(hub, userId, purpose);
      if (issued.challenge === wanted) return issued;
    }
    throw new Error(`no ${wanted} challenge in 200 tries`);
  };

  let astronautTurningLeft: Uint8Array[];
  let hopperTurningLeft: Uint8Array[];

  beforeAll(async () => {
    opened = await openMigratedPostgres();
    blobDir = mkdtempSync(join(tmpdir(), 'ecourt-face-enrolment-'));
    blobs = new LocalBlobStore(blobDir);
    faces = new FaceService({ workers: 2 });
    await faces.ready();
    astronautTurningLeft = await turningFrames(faces, astronaut, TURN_SHARES.turnLeft);
    hopperTurningLeft = await turningFrames(faces, hopper, TURN_SHARES.turnLeft);
  }, 120_000);

  afterAll(async () => {
    await faces?.close();
    await opened?.dispose();
    if (blobDir) rmSync(blobDir, { recursive: true, force: true });
  });

  describe('enrolFace', () => {
    it('enrols a selfie: descriptor sealed in the row, image sealed in the blob store, a passed check and audit rows', async () => {
      const hub = services(30);
      const userId = await newUser();
      const image = fixtureBytes('astronaut.png');
      const enrolled = await enrolFace(hub, userId, image, 'selfie');
      expect(enrolled.facePx).toBeGreaterThanOrEqual(100);
      expect(enrolled.imageSha256).toMatch(/^[0-9a-f]{64}$/);

      const [row] = await opened.database.db.select().from(faceEnrolments).where(eq(faceEnrolments.id, enrolled.enrolmentId));
      expect(row).toMatchObject({ userId, source: 'selfie', imageSha256: enrolled.imageSha256, replacedAt: null });
      // Sealed, not 128 plain numbers: no decimal number in the stored text.
      expect(row!.descriptorSealed).toMatch(/^pd1\./);
      expect(row!.descriptorSealed).not.toMatch(/\d\.\d{4}/);
      const descriptor = await enrolledDescriptorOf(hub, userId);
      expect(descriptor).toHaveLength(128);
      expect(JSON.parse(cipher.open(row!.descriptorSealed))).toEqual(descriptor);

      // The image: kept 30 days, sealed (no PNG signature in the stored bytes), opening to the upload.
      expect(row!.imageDeleteAfter!.getTime() - row!.createdAt.getTime()).toBeGreaterThan(29.9 * 86_400_000);
      const stored = await blobs.get(row!.imageBlobKey!);
      expect(stored.subarray(0, 4).toString()).toBe('pd1.');
      expect(stored.includes(Buffer.from(image.subarray(0, 64)))).toBe(false);
      expect(Buffer.from(cipher.open(stored.toString('utf8')), 'base64').equals(Buffer.from(image))).toBe(true);

      const [check] = await opened.database.db.select().from(identityChecks).where(eq(identityChecks.id, enrolled.checkId));
      expect(check).toMatchObject({ userId, kind: 'face_enrolment', outcome: 'passed' });
      expect(check!.details).toMatchObject({ source: 'selfie', sha256: enrolled.imageSha256, facePx: enrolled.facePx, enrolmentId: enrolled.enrolmentId });
      expect(JSON.stringify(check!.details)).not.toContain('descriptor');
      const trail = await listAudit({ db: opened.database.db, subjectKind: 'user', subjectId: userId });
      expect(trail.map((entry) => entry.action).sort()).toEqual(['identity.check', 'user.faceEnrol']);
      expect(await hasFaceEnrolment(hub, userId)).toBe(true);
    });

    it('refuses an image with two faces (FACE_MULTIPLE) and one without a face, recording the failed checks', async () => {
      const hub = services();
      const userId = await newUser();
      const twoFaces = encodePng(compose(1024, 512, [{ raster: astronaut, x: 0, y: 0 }, { raster: hopper, x: 512, y: 0 }]));
      const several = await refusal(enrolFace(hub, userId, twoFaces, 'idCardPhoto'));
      expect(several.code).toBe('FACE_MULTIPLE');
      expect((await refusal(enrolFace(hub, userId, fixtureBytes('chelsea.png'), 'selfie'))).code).toBe('FACE_NONE');
      expect((await refusal(enrolFace(hub, userId, new TextEncoder().encode('not an image'), 'selfie'))).code).toBe('IMAGE_INVALID');

      expect(await hasFaceEnrolment(hub, userId)).toBe(false);
      const checks = await opened.database.db.select().from(identityChecks).where(eq(identityChecks.userId, userId));
      expect(checks.map((check) => [check.kind, check.outcome, check.details.refusal]).sort()).toEqual([
        ['face_enrolment', 'failed', 'FACE_MULTIPLE'],
        ['face_enrolment', 'failed', 'FACE_NONE'],
        ['face_enrolment', 'failed', 'IMAGE_INVALID'],
      ]);
      expect(checks.find((check) => check.details.refusal === 'FACE_MULTIPLE')!.details).toMatchObject({ source: 'idCardPhoto', faces: 2 });
    });

    it('keeps no image with retention 0; a later enrolment replaces the earlier one', async () => {
      const userId = await newUser();
      const first = await enrolFace(services(0), userId, fixtureBytes('astronaut.png'), 'selfie');
      const [row] = await opened.database.db.select().from(faceEnrolments).where(eq(faceEnrolments.id, first.enrolmentId));
      expect(row).toMatchObject({ imageBlobKey: null, imageDeleteAfter: null });

      const second = await enrolFace(services(0), userId, fixtureBytes('grace-hopper.jpg'), 'idCardPhoto');
      const rows = await opened.database.db.select().from(faceEnrolments).where(eq(faceEnrolments.userId, userId));
      expect(rows.find((r) => r.id === first.enrolmentId)!.replacedAt).not.toBeNull();
      expect(rows.find((r) => r.id === second.enrolmentId)!.replacedAt).toBeNull();
      const hopperDescriptor = (await faces.describe(fixtureBytes('grace-hopper.jpg'))).face.descriptor;
      const current = await enrolledDescriptorOf(services(), userId);
      expect(current).toHaveLength(128);
      current!.forEach((value, index) => expect(value).toBeCloseTo(hopperDescriptor[index]!, 5));
    });

    it('purges images past their retention: the blob is gone and the key forgotten, the enrolment still counts', async () => {
      const userId = await newUser();
      const enrolled = await enrolFace(services(1), userId, fixtureBytes('astronaut.png'), 'selfie');
      const [before] = await opened.database.db.select().from(faceEnrolments).where(eq(faceEnrolments.id, enrolled.enrolmentId));
      const key = before!.imageBlobKey!;
      expect(await blobs.has(key)).toBe(true);

      // Not yet due: nothing happens.
      await purgeFaceImages({ db: opened.database.db, blobs, now: new Date() });
      expect(await blobs.has(key)).toBe(true);

      const { purged } = await purgeFaceImages({ db: opened.database.db, blobs, now: new Date(Date.now() + 2 * 86_400_000) });
      expect(purged).toBeGreaterThanOrEqual(1);
      expect(await blobs.has(key)).toBe(false);
      const [after] = await opened.database.db.select().from(faceEnrolments).where(eq(faceEnrolments.id, enrolled.enrolmentId));
      expect(after).toMatchObject({ imageBlobKey: null, imageSha256: enrolled.imageSha256 });
      expect(await hasFaceEnrolment(services(), userId)).toBe(true);
      const trail = await listAudit({ db: opened.database.db, subjectKind: 'user', subjectId: userId });
      expect(trail.filter((entry) => entry.action === 'user.faceImagePurge').map((entry) => entry.detail)).toEqual([{ enrolmentId: enrolled.enrolmentId }]);
    });
  });

  describe('live face checks', () => {
    const hearingId = newId();
    const purpose: LiveCheckPurpose = { kind: 'hearing', hearingId };
    let userId: string;

    beforeAll(async () => {
      userId = await newUser();
      await enrolFace(services(0), userId, fixtureBytes('astronaut.png'), 'selfie');
    });

    it('passes the enrolled person turning their head as challenged, and finds the check by purpose afterwards', async () => {
      const hub = services();
      const issued = challengeOf(hub, userId, purpose, 'turnLeft');
      expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThanOrEqual(120_000);
      const result = await verifyLiveFace(hub, { userId, token: issued.token, frames: astronautTurningLeft, purpose });
      expect(result).toMatchObject({ passed: true, refusal: null, challenge: 'turnLeft' });
      expect(result.distance).toBeLessThan(0.45);

      const [row] = await opened.database.db.select().from(identityChecks).where(eq(identityChecks.id, result.checkId));
      expect(row).toMatchObject({ userId, kind: 'face_live', outcome: 'passed' });
      expect(row!.details).toMatchObject({ purpose, challenge: 'turnLeft', refusal: null, distance: result.distance });
      expect((row!.details.frames as { sha256: string }[]).map((frame) => frame.sha256)).toHaveLength(astronautTurningLeft.length);
      expect(row!.details.scores).toMatchObject({ threshold: 0.45 });
      expect(JSON.stringify(row!.details)).not.toMatch(/descriptor|landmarks/);
      const trail = await listAudit({ db: opened.database.db, subjectKind: 'user', subjectId: userId });
      expect(trail.find((entry) => entry.action === 'user.faceCheck')!.detail).toMatchObject({ checkId: result.checkId, purpose, passed: true });

      expect(await recentPassedFaceCheck(hub, userId, purpose, 60_000)).toEqual({ checkId: result.checkId, at: result.at });
      expect(await recentPassedFaceCheck(hub, userId, { kind: 'hearing', hearingId: newId() }, 60_000)).toBeNull();
      expect(await recentPassedFaceCheck(hub, userId, { kind: 'transcript', hearingId }, 60_000)).toBeNull();
      const later = await opened.database.db.select().from(identityChecks).where(and(eq(identityChecks.id, result.checkId)));
      expect(later).toHaveLength(1);
    });

    it('refuses someone else doing the movement (LIVENESS_FACE_CHANGED) as a failed result', async () => {
      const hub = services();
      const issued = challengeOf(hub, userId, purpose, 'turnLeft');
      const result = await verifyLiveFace(hub, { userId, token: issued.token, frames: hopperTurningLeft, purpose });
      expect(result).toMatchObject({ passed: false, refusal: { code: 'LIVENESS_FACE_CHANGED' } });
      expect(result.refusal!.messageZh).toMatch(/人脸/);
      expect(result.distance).toBeGreaterThanOrEqual(0.45);
      const [row] = await opened.database.db.select().from(identityChecks).where(eq(identityChecks.id, result.checkId));
      expect(row).toMatchObject({ outcome: 'failed', details: { refusal: 'LIVENESS_FACE_CHANGED' } });
    });

    it('refuses still frames (a replayed photo) and a frame without a face as failed results', async () => {
      const hub = services();
      const still = encodeJpeg(cameraFrame(astronaut), 90);
      const stillResult = await verifyLiveFace(hub, { userId, token: issueLivenessChallenge(hub, userId, purpose).token, frames: [still, still, still, still], purpose });
      expect(stillResult).toMatchObject({ passed: false, refusal: { code: 'LIVENESS_STILL' } });

      const withCat = [astronautTurningLeft[0]!, fixtureBytes('chelsea.png'), astronautTurningLeft[1]!];
      const noFace = await verifyLiveFace(hub, { userId, token: issueLivenessChallenge(hub, userId, purpose).token, frames: withCat, purpose });
      expect(noFace).toMatchObject({ passed: false, refusal: { code: 'FACE_NONE' }, distance: null });
      const [row] = await opened.database.db.select().from(identityChecks).where(eq(identityChecks.id, noFace.checkId));
      expect(row!.details).toMatchObject({ refusal: 'FACE_NONE', refusedFrame: 1 });
      expect(await recentPassedFaceCheck(hub, userId, { kind: 'self' }, 60_000)).toBeNull();
    });

    it('refuses a replayed token, another user’s, another purpose’s, an expired or forged one', async () => {
      const hub = services();
      const issued = challengeOf(hub, userId, purpose, 'turnLeft');
      await verifyLiveFace(hub, { userId, token: issued.token, frames: astronautTurningLeft, purpose });
      const replay = await refusal(verifyLiveFace(hub, { userId, token: issued.token, frames: astronautTurningLeft, purpose }));
      expect(replay.code).toBe('FACE_CHECK_TOKEN_REPLAYED');

      const otherUser = await newUser();
      await enrolFace(services(0), otherUser, fixtureBytes('grace-hopper.jpg'), 'selfie');
      const foreign = await refusal(verifyLiveFace(hub, { userId: otherUser, token: issueLivenessChallenge(hub, userId, purpose).token, frames: hopperTurningLeft, purpose }));
      expect(foreign).toMatchObject({ code: 'FACE_CHECK_TOKEN_INVALID', details: { reason: 'user' } });

      const elsewhere = await refusal(
        verifyLiveFace(hub, { userId, token: issueLivenessChallenge(hub, userId, purpose).token, frames: astronautTurningLeft, purpose: { kind: 'transcript', hearingId } }),
      );
      expect(elsewhere).toMatchObject({ code: 'FACE_CHECK_TOKEN_INVALID', details: { reason: 'purpose' } });

      const expired = signFaceCheckToken(sessionSecret, { userId, purpose: `hearing:${hearingId}`, challenge: 'turnLeft', expiresAt: Date.now() - 1 });
      expect((await refusal(verifyLiveFace(hub, { userId, token: expired, frames: astronautTurningLeft, purpose }))).code).toBe('FACE_CHECK_TOKEN_EXPIRED');

      const forged = signFaceCheckToken(randomBytes(32), { userId, purpose: `hearing:${hearingId}`, challenge: 'turnLeft', expiresAt: Date.now() + 60_000 });
      expect(await refusal(verifyLiveFace(hub, { userId, token: forged, frames: astronautTurningLeft, purpose }))).toMatchObject({
        code: 'FACE_CHECK_TOKEN_INVALID',
        details: { reason: 'signature' },
      });
      expect((await refusal(verifyLiveFace(hub, { userId, token: 'nonsense', frames: astronautTurningLeft, purpose }))).code).toBe('FACE_CHECK_TOKEN_INVALID');
    });

    it('throws for bad input without spending the token: too few frames, a frame that is no image; a user never enrolled', async () => {
      const hub = services();
      const issued = challengeOf(hub, userId, purpose, 'turnLeft');
      expect((await refusal(verifyLiveFace(hub, { userId, token: issued.token, frames: astronautTurningLeft.slice(0, 2), purpose }))).code).toBe('VALIDATION_FAILED');
      const notImage = [...astronautTurningLeft.slice(0, 3), new TextEncoder().encode('hello')];
      expect(await refusal(verifyLiveFace(hub, { userId, token: issued.token, frames: notImage, purpose }))).toMatchObject({ code: 'IMAGE_INVALID', details: { frame: 3 } });
      // The token is still good for the real answer.
      expect((await verifyLiveFace(hub, { userId, token: issued.token, frames: astronautTurningLeft, purpose })).passed).toBe(true);

      const stranger = await newUser();
      expect((await refusal(verifyLiveFace(hub, { userId: stranger, token: issueLivenessChallenge(hub, stranger, { kind: 'self' }).token, frames: astronautTurningLeft, purpose: { kind: 'self' } }))).code).toBe(
        'FACE_NOT_ENROLLED',
      );
      expect((await refusal(Promise.resolve().then(() => issueLivenessChallenge(hub, userId, { kind: 'hearing', hearingId: 'not-a-uuid' })))).code).toBe('VALIDATION_FAILED');
    });
  });
});
