// The typed origin of a Yjs update as persistence receives it (the same shape as the rooms'
// UpdateOrigin in hub/collab/persistence.ts), and its check before it reaches a batch.
import { isUuid } from '../ids.ts';

export type UpdateOrigin =
  | { source: 'session'; sessionId: string; userId: string }
  | { source: 'asr'; engine: string }
  | { source: 'system'; reason: string };

/** What append() takes: the origin plus the transcript segments the update touched, if known. */
export type PersistedUpdateOrigin = UpdateOrigin & { segmentIds?: string[] };

/** An update that cannot be stored as given; refused before it joins a batch so it cannot fail others. */
export class InvalidCollabUpdateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCollabUpdateError';
  }
}

export function checkUpdate(docName: string, update: Uint8Array, origin: PersistedUpdateOrigin): void {
  if (typeof docName !== 'string' || docName.length === 0) throw new InvalidCollabUpdateError('document name is empty');
  if (!(update instanceof Uint8Array) || update.byteLength === 0) throw new InvalidCollabUpdateError('update is empty');
  switch (origin?.source) {
    case 'session':
      if (!isUuid(origin.userId)) throw new InvalidCollabUpdateError('session origin needs a uuid userId');
      if (typeof origin.sessionId !== 'string') throw new InvalidCollabUpdateError('session origin needs a sessionId');
      break;
    case 'asr':
      if (typeof origin.engine !== 'string' || origin.engine.length === 0) throw new InvalidCollabUpdateError('asr origin needs an engine');
      break;
    case 'system':
      if (typeof origin.reason !== 'string') throw new InvalidCollabUpdateError('system origin needs a reason');
      break;
    default:
      throw new InvalidCollabUpdateError('unknown update origin');
  }
  if (origin.segmentIds !== undefined && !(Array.isArray(origin.segmentIds) && origin.segmentIds.every((id) => typeof id === 'string'))) {
    throw new InvalidCollabUpdateError('segmentIds must be strings');
  }
}
