// What live recognition does to the transcript document, as changes to run inside the transcript
// room's applySystemUpdate (never on a stored Y.Doc): open a partial segment when someone starts
// speaking, settle it with the final text, or drop it when nothing was recognised. A person's edit
// wins: a segment the judge or clerk touched keeps their text, the late recognition goes to asrText.
import * as Y from 'yjs';
import { appendSegment, findSegment, segmentsArray, type TranscriptSpeaker } from '../../hub/collab/transcript-model.ts';

export interface PartialSegment {
  id: string;
  speaker: TranscriptSpeaker;
  /** Milliseconds since the hearing started. */
  startMs: number;
  engine: string;
}

export interface FinalSegment {
  speaker: TranscriptSpeaker;
  startMs: number;
  endMs: number;
  text: string;
  engine: string;
}

export type SettleOutcome = 'recognised' | 'keptHumanText' | 'appended' | 'removedByPerson';

export const asrSource = (engine: string): string => `asr:${engine}`;

/** A segment a person wrote into or edited (partials are created empty and never written by recognition). */
export function touchedByPerson(segment: Y.Map<unknown>): boolean {
  const editedBy = segment.get('editedBy');
  const text = segment.get('text');
  return (editedBy instanceof Y.Array && editedBy.length > 0) || (text instanceof Y.Text && text.length > 0);
}

/** An empty segment marked partial: the editor shows it greyed as "recognising…". */
export function openPartialSegment(doc: Y.Doc, partial: PartialSegment): void {
  doc.transact(() => {
    appendSegment(doc, { id: partial.id, speaker: partial.speaker, startMs: partial.startMs, endMs: partial.startMs, text: '', source: asrSource(partial.engine) });
    findSegment(doc, partial.id)!.set('partial', true);
  });
}

/**
 * The final text of an utterance: written into its partial segment (same id, partial flag gone), or
 * appended as a new segment when none was opened. A partial a person deleted stays deleted.
 */
export function settleSegment(doc: Y.Doc, partialId: string | null, final: FinalSegment): SettleOutcome {
  const segment = partialId ? findSegment(doc, partialId) : undefined;
  if (partialId && !segment) return 'removedByPerson';
  let outcome: SettleOutcome = 'appended';
  doc.transact(() => {
    if (!segment) {
      appendSegment(doc, { speaker: final.speaker, startMs: final.startMs, endMs: final.endMs, text: final.text, source: asrSource(final.engine) });
      return;
    }
    segment.delete('partial');
    if (touchedByPerson(segment)) {
      segment.set('asrText', final.text);
      outcome = 'keptHumanText';
      return;
    }
    const text = segment.get('text') as Y.Text;
    text.insert(0, final.text);
    segment.set('startMs', final.startMs);
    segment.set('endMs', Math.max(final.startMs, final.endMs));
    outcome = 'recognised';
  });
  return outcome;
}

/** Nothing was recognised for a partial: it goes, unless a person wrote into it (then it stays, as theirs). */
export function dropPartialSegment(doc: Y.Doc, partialId: string): void {
  const segments = segmentsArray(doc);
  const index = segments.toArray().findIndex((entry) => entry instanceof Y.Map && entry.get('id') === partialId);
  if (index < 0) return;
  const segment = segments.get(index);
  if (segment.get('partial') !== true) return;
  doc.transact(() => {
    if (touchedByPerson(segment)) segment.delete('partial');
    else segments.delete(index, 1);
  });
}
