// Expired one-time phone codes are deleted a day after they expire, never sooner (real Postgres): by
// purgePhoneCodes directly, and by the hub's hourly identity purge (startFaceImagePurge) at its start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaceImagePurge } from '../../hub/identity/face-image-purge.ts';
import { createLogger } from '../../platform/logger.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';
import { issuePhoneCode } from '../../storage/identity/issue-phone-code.ts';
import { purgePhoneCodes } from '../../storage/identity/purge-phone-codes.ts';
import { phoneCodes } from '../../storage/identity/schema.ts';
import { probePostgres } from '../support/services.ts';
import { openMigratedPostgres, testCipher, type OpenedTestDatabase } from '../support/storage.ts';

const postgres = await probePostgres();
const HOUR = 3600_000;

describe.skipIf(!postgres.available)(`phone code purge on Postgres${postgres.skipReason}`, () => {
  let opened: OpenedTestDatabase;
  let dir: string;
  const cipher = testCipher();
  const issue = async (phone: string, hoursAgo: number) => {
    const result = await issuePhoneCode({ db: opened.database.db, cipher, phone, purpose: 'registration', now: new Date(Date.now() - hoursAgo * HOUR) });
    expect(result.issued).toBe(true);
  };
  const remaining = async () => (await opened.database.db.select({ phoneIndex: phoneCodes.phoneIndex }).from(phoneCodes)).map((row) => row.phoneIndex).sort();

  beforeAll(async () => {
    opened = await openMigratedPostgres();
    dir = mkdtempSync(join(tmpdir(), 'ecourt-phone-code-purge-'));
  });
  afterAll(async () => {
    await opened?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deletes codes expired more than a day ago and keeps newer ones, used or not', async () => {
    await issue('13800000001', 49); // expired two days ago
    await issue('13800000002', 24.5); // expired 24 h 25 min ago
    await issue('13800000003', 23); // expired 22 h 55 min ago: kept
    await issue('13800000004', 0); // still valid
    expect(await purgePhoneCodes({ db: opened.database.db })).toEqual({ purged: 2 });
    expect(await remaining()).toEqual([cipher.blindIndex('13800000003'), cipher.blindIndex('13800000004')].sort());
    expect(await purgePhoneCodes({ db: opened.database.db })).toEqual({ purged: 0 });
    // A day later the rest go too.
    expect(await purgePhoneCodes({ db: opened.database.db, now: new Date(Date.now() + 25 * HOUR) })).toEqual({ purged: 2 });
    expect(await remaining()).toEqual([]);
  });

  it("the hub's identity purge removes them at start and logs how many", async () => {
    await issue('13800000005', 30);
    await issue('13800000006', 1);
    const lines: string[] = [];
    const purge = startFaceImagePurge({ db: opened.database.db, blobs: new LocalBlobStore(dir), logger: createLogger({ write: (line) => lines.push(line) }) });
    await purge.stop(); // waits for the purge started with it
    expect(await remaining()).toEqual([cipher.blindIndex('13800000006')]);
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ message: 'expired phone codes purged', purged: 1 }));
  });
});
