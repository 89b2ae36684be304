// Purges enrolment images past their retention at hub start and every hour after (privacy: raw faces
// are kept only ECOURT_FACE_IMAGE_RETENTION_DAYS), and with them one-time phone codes expired over a day
// ago (storage/identity/purge-phone-codes.ts). The timer never keeps a stopping process alive.
import type { Logger } from '../../platform/logger.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import type { Db } from '../../storage/database.ts';
import { purgeFaceImages } from '../../storage/identity/purge-face-images.ts';
import { purgePhoneCodes } from '../../storage/identity/purge-phone-codes.ts';

export const FACE_IMAGE_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export interface FaceImagePurge {
  /** One purge now (also what the timer runs); resolves with the number of images removed (phone codes are logged). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startFaceImagePurge({ db, blobs, logger, intervalMs = FACE_IMAGE_PURGE_INTERVAL_MS }: { db: Db; blobs: BlobStore; logger: Logger; intervalMs?: number }): FaceImagePurge {
  let running: Promise<number> | null = null;
  let stopped = false;
  const runOnce = (): Promise<number> => {
    // One purge at a time: a slow disk must not stack them up.
    running ??= purgePhoneCodes({ db })
      .then(({ purged }) => {
        if (purged > 0) logger.info('expired phone codes purged', { purged });
      })
      .catch((error: unknown) => {
        if (!stopped) logger.error('phone code purge failed', { error: error instanceof Error ? error.message : String(error) });
      })
      .then(() => purgeFaceImages({ db, blobs }))
      .then(({ purged }) => {
        if (purged > 0) logger.info('face images purged', { purged });
        return purged;
      })
      .catch((error: unknown) => {
        if (!stopped) logger.error('face image purge failed', { error: error instanceof Error ? error.message : String(error) });
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
