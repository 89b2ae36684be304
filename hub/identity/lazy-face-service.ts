// The hub's face service, started on first use: loading the models costs each worker a few seconds and
// ~100 MB, which a node that never checks a face should not pay. Closed with the hub.
import type { Config } from '../../platform/config.ts';
import { FaceService } from '../../models/face/face-service.ts';

export interface LazyFaceService {
  /** The running service (started now if it was not). */
  readonly service: FaceService;
  /** Whether a service was started (nothing to close otherwise). */
  readonly started: boolean;
  close(): Promise<void>;
}

export function lazyFaceService(config: Pick<Config, 'ECOURT_FACE_WORKERS'>): LazyFaceService {
  let service: FaceService | null = null;
  let closed = false;
  return {
    get service() {
      // After close a fresh service would leak its workers: hand out the closed one, which refuses with FACE_BUSY.
      if (!service) {
        service = new FaceService({ workers: config.ECOURT_FACE_WORKERS });
        if (closed) void service.close();
      }
      return service;
    },
    get started() {
      return service !== null;
    },
    async close() {
      closed = true;
      await service?.close();
    },
  };
}
