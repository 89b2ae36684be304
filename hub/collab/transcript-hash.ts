// The transcript's archive hash: sha256 of its stable plain-text rendering (kept apart from the
// model, which the browser bundle shares, because it needs Node's crypto).
import { createHash } from 'node:crypto';
import type * as Y from 'yjs';
import { renderTranscriptText } from './transcript-model.ts';

/** sha256 hex of renderTranscriptText(doc) (UTF-8). */
export function transcriptHash(doc: Y.Doc): string {
  return createHash('sha256').update(renderTranscriptText(doc), 'utf8').digest('hex');
}
