// Transcript export (issue 5, point 5): WebVTT, SRT and plain text, exact to the byte, and the
// shift that lines the cues up with a recording.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendSegment, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { exportTranscript, MIN_CUE_MS, srtTime, transcriptCues, vttTime, type ExportableSegment } from '../../hub/collab/transcript-export.ts';

const judge = { participantId: 'p-judge', role: 'judge', displayName: '审判长 李明' };
const plaintiff = { participantId: 'p-1', role: 'party', displayName: '陈静' };

/** A small hearing: out of order in the document, one segment past the first hour, one empty, markup in a text. */
const segments: ExportableSegment[] = [
  { id: 's2', speaker: plaintiff, startMs: 4_000, endMs: 9_500, text: '请求被告支付货款 <8000> 元\n及利息 & 违约金。' },
  { id: 's1', speaker: judge, startMs: 0, endMs: 4_000, text: '现在开庭。' },
  { id: 's3', speaker: plaintiff, startMs: 12_000, endMs: 12_000, text: '   ' },
  { id: 's4', speaker: judge, startMs: 3_723_456, endMs: 3_725_000, text: 'The court is now in session.' },
];

describe('transcript export', () => {
  it('formats times for WebVTT and SRT, hours included', () => {
    expect(vttTime(0)).toBe('00:00:00.000');
    expect(vttTime(3_723_456)).toBe('01:02:03.456');
    expect(srtTime(3_723_456)).toBe('01:02:03,456');
    expect(vttTime(100 * 3_600_000 + 1)).toBe('100:00:00.001');
    expect(srtTime(-5)).toBe('00:00:00,000');
  });

  it('writes WebVTT with the speaker as the voice, markup escaped and cues in time order', () => {
    expect(exportTranscript('vtt', segments)).toBe(
      [
        'WEBVTT',
        '',
        's1',
        '00:00:00.000 --> 00:00:04.000',
        '<v 审判长 李明>现在开庭。',
        '',
        's2',
        '00:00:04.000 --> 00:00:09.500',
        '<v 陈静>请求被告支付货款 &lt;8000&gt; 元 及利息 &amp; 违约金。',
        '',
        's4',
        '01:02:03.456 --> 01:02:05.000',
        '<v 审判长 李明>The court is now in session.',
        '',
      ].join('\n'),
    );
  });

  it('writes SRT numbered from 1 with a byte order mark, and plain text one line per segment', () => {
    expect(exportTranscript('srt', segments)).toBe(
      '\uFEFF' +
        [
          '1',
          '00:00:00,000 --> 00:00:04,000',
          '审判长 李明: 现在开庭。',
          '',
          '2',
          '00:00:04,000 --> 00:00:09,500',
          '陈静: 请求被告支付货款 <8000> 元 及利息 & 违约金。',
          '',
          '3',
          '01:02:03,456 --> 01:02:05,000',
          '审判长 李明: The court is now in session.',
          '',
          '',
        ].join('\n'),
    );
    expect(exportTranscript('txt', segments)).toBe(
      [
        '[00:00:00.000 – 00:00:04.000] 审判长 李明 (judge): 现在开庭。',
        '[00:00:04.000 – 00:00:09.500] 陈静 (party): 请求被告支付货款 <8000> 元 及利息 & 违约金。',
        '[01:02:03.456 – 01:02:05.000] 审判长 李明 (judge): The court is now in session.',
        '',
      ].join('\n'),
    );
  });

  it('keeps Chinese text intact in UTF-8', () => {
    const bytes = Buffer.from(exportTranscript('srt', segments), 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('审判长 李明: 现在开庭。');
  });

  it('shifts cues to a recording: what ended before it is left out, what began before it starts at 0', () => {
    // The recording started 5 s into the hearing.
    const cues = transcriptCues(segments, { offsetMs: 5_000 });
    expect(cues.map(({ id, startMs, endMs }) => ({ id, startMs, endMs }))).toEqual([
      { id: 's2', startMs: 0, endMs: 4_500 },
      { id: 's4', startMs: 3_718_456, endMs: 3_720_000 },
    ]);
    expect(exportTranscript('vtt', segments, { offsetMs: 5_000 })).toContain('s2\n00:00:00.000 --> 00:00:04.500\n');
    // A recording started before the hearing (negative offset) delays every cue.
    expect(transcriptCues(segments, { offsetMs: -2_000 })[0]).toMatchObject({ id: 's1', startMs: 2_000, endMs: 6_000 });
  });

  it('gives a segment without duration a visible cue, keeps overlapping speakers, names a nameless speaker by role, leaves partials out', () => {
    const cues = transcriptCues([
      { id: 'a', speaker: { displayName: '', role: 'clerk' }, startMs: 1_000, endMs: 1_000, text: '记录在案。' },
      { id: 'b', speaker: judge, startMs: 500, endMs: 3_000, text: '请坐。' },
      { id: 'c', startMs: 800, endMs: 2_000, text: 'no speaker' },
      { id: 'd', speaker: judge, startMs: 900, endMs: 1_900, text: 'still being recognised', partial: true },
    ]);
    expect(cues.map((cue) => [cue.id, cue.startMs, cue.endMs, cue.speaker])).toEqual([
      ['b', 500, 3_000, '审判长 李明'],
      ['c', 800, 2_000, ''],
      ['a', 1_000, 1_000 + MIN_CUE_MS, 'clerk'],
    ]);
    expect(exportTranscript('vtt', [{ id: 'c', startMs: 0, endMs: 1, text: 'x --> y' }])).toBe('WEBVTT\n\nc\n00:00:00.000 --> 00:00:00.001\nx --&gt; y\n');
    expect(exportTranscript('vtt', [])).toBe('WEBVTT\n');
    expect(exportTranscript('srt', [])).toBe('\uFEFF');
  });

  it('exports the segments of a transcript document', () => {
    const doc = new Y.Doc();
    appendSegment(doc, { id: 'x1', speaker: judge, startMs: 0, endMs: 1_500, text: '开庭。', source: 'human' });
    expect(exportTranscript('txt', segmentsOf(doc))).toBe('[00:00:00.000 – 00:00:01.500] 审判长 李明 (judge): 开庭。\n');
  });
});
