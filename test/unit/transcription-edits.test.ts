// What live recognition does to the transcript document: partial → final in place, a person's edit
// wins over a late result, a partial a person deleted stays deleted, empty partials are dropped.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dropPartialSegment, openPartialSegment, settleSegment } from '../../media/transcription/asr-transcript-edits.ts';
import { appendSegment, editSegmentText, segmentsArray, segmentsOf } from '../../hub/collab/transcript-model.ts';

const speaker = { participantId: 'p1', role: 'party', displayName: 'Li' };
const clerk = { userId: '00000000-0000-4000-8000-000000000001', role: 'clerk' };
const final = { speaker, startMs: 1200, endMs: 3400, text: 'the court is now in session', engine: 'pocketsphinx' };

function withPartial(): { doc: Y.Doc; id: string } {
  const doc = new Y.Doc();
  openPartialSegment(doc, { id: 'seg-1', speaker, startMs: 1000, engine: 'pocketsphinx' });
  return { doc, id: 'seg-1' };
}

describe('recognition edits of the transcript', () => {
  it('opens an empty partial segment of the speaker, and writes the final text into the same segment', () => {
    const { doc, id } = withPartial();
    expect(segmentsOf(doc)).toEqual([{ id, speaker, startMs: 1000, endMs: 1000, text: '', source: 'asr:pocketsphinx', editedBy: [], partial: true }]);
    expect(settleSegment(doc, id, final)).toBe('recognised');
    expect(segmentsOf(doc)).toEqual([{ id, speaker, startMs: 1200, endMs: 3400, text: final.text, source: 'asr:pocketsphinx', editedBy: [] }]);
  });

  it('keeps what a clerk typed into the partial; the recognised text is kept aside', () => {
    const { doc, id } = withPartial();
    editSegmentText(doc, id, 'Court is in session.', clerk);
    expect(settleSegment(doc, id, final)).toBe('keptHumanText');
    const [segment] = segmentsOf(doc);
    expect(segment).toMatchObject({ id, text: 'Court is in session.', asrText: final.text, startMs: 1000 });
    expect(segment!.partial).toBeUndefined();
    expect(segment!.editedBy).toHaveLength(1);
  });

  it('does not bring back a partial a person deleted, and appends a final that had no partial', () => {
    const { doc, id } = withPartial();
    segmentsArray(doc).delete(0, 1);
    expect(settleSegment(doc, id, final)).toBe('removedByPerson');
    expect(segmentsOf(doc)).toEqual([]);
    expect(settleSegment(doc, null, final)).toBe('appended');
    expect(segmentsOf(doc)).toMatchObject([{ text: final.text, speaker, source: 'asr:pocketsphinx' }]);
  });

  it('drops an untouched partial, keeps one a person wrote into (as theirs), and never drops a final segment', () => {
    const { doc, id } = withPartial();
    openPartialSegment(doc, { id: 'seg-2', speaker, startMs: 5000, engine: 'pocketsphinx' });
    appendSegment(doc, { id: 'seg-3', speaker, startMs: 6000, endMs: 7000, text: 'typed', source: 'human' });
    editSegmentText(doc, 'seg-2', 'a word', clerk);
    dropPartialSegment(doc, id);
    dropPartialSegment(doc, 'seg-2');
    dropPartialSegment(doc, 'seg-3');
    expect(segmentsOf(doc).map((segment) => [segment.id, segment.text, segment.partial])).toEqual([
      ['seg-2', 'a word', undefined],
      ['seg-3', 'typed', undefined],
    ]);
  });
});
