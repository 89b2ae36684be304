// The transcript (笔录) as files others can use: WebVTT and SRT subtitles that line up with a hearing
// recording, and plain text. Pure functions over segments (hearing time, ms since the hearing
// started); shared by the hub's export route and `ecourt transcribe --format`.

export const TRANSCRIPT_EXPORT_FORMATS = ['vtt', 'srt', 'txt'] as const;
export type TranscriptExportFormat = (typeof TRANSCRIPT_EXPORT_FORMATS)[number];

/** What an export needs of a segment; the speaker is absent for audio transcribed outside a hearing. */
export interface ExportableSegment {
  id: string;
  startMs: number;
  endMs: number;
  text: string;
  speaker?: { displayName: string; role: string };
  /** Live recognition still working on it: not yet part of the record, so not exported. */
  partial?: boolean;
}

export interface TranscriptExportOptions {
  /**
   * Where the file's time 0 is in hearing time: a recording's start minus the hearing's start. Cues
   * are shifted by it; one that ended before is left out, one that began before starts at 0.
   */
  offsetMs?: number;
}

/** One cue of the file, in the file's time. */
export interface TranscriptCue {
  id: string;
  startMs: number;
  endMs: number;
  /** displayName, or the role when the name is empty; '' when the segment has no speaker. */
  speaker: string;
  role: string;
  /** One line: line breaks inside a segment became spaces. */
  text: string;
}

/**
 * A segment recorded without a duration (typed by the clerk with start = end) still has to be seen:
 * WebVTT forbids a cue that ends where it starts, and a player would flash it for one frame.
 */
export const MIN_CUE_MS = 1000;

export const EXPORT_MEDIA_TYPES: Record<TranscriptExportFormat, string> = {
  vtt: 'text/vtt; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** The cues of an export: empty texts dropped, shifted by the offset, clipped at 0, in time order. */
export function transcriptCues(segments: readonly ExportableSegment[], options: TranscriptExportOptions = {}): TranscriptCue[] {
  const offsetMs = options.offsetMs ?? 0;
  const cues: TranscriptCue[] = [];
  for (const segment of segments) {
    const text = oneLine(segment.text);
    if (text === '' || segment.partial) continue;
    const startMs = Math.round(segment.startMs - offsetMs);
    const givenEndMs = Math.round(segment.endMs - offsetMs);
    const endMs = givenEndMs > startMs ? givenEndMs : startMs + MIN_CUE_MS;
    // Said before the recording began: not in this file.
    if (endMs <= 0) continue;
    const role = segment.speaker?.role ?? '';
    cues.push({ id: segment.id, startMs: Math.max(0, startMs), endMs, speaker: segment.speaker?.displayName.trim() || role, role, text });
  }
  // Stable: segments that start together keep their hearing order. Overlaps stay (two people
  // speaking at once); both players and the record show them together.
  return cues.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}

export function exportTranscript(format: TranscriptExportFormat, segments: readonly ExportableSegment[], options: TranscriptExportOptions = {}): string {
  const cues = transcriptCues(segments, options);
  switch (format) {
    case 'vtt':
      return renderWebVtt(cues);
    case 'srt':
      return renderSrt(cues);
    case 'txt':
      return renderPlainText(cues);
    default: {
      const unknown: never = format;
      throw new Error(`unknown transcript export format ${String(unknown)}`);
    }
  }
}

/** WebVTT: the speaker as the cue's voice (<v>), the segment id as the cue's identifier. */
export function renderWebVtt(cues: readonly TranscriptCue[]): string {
  const blocks = cues.map((cue) => {
    const voice = cue.speaker ? `<v ${escapeVtt(cue.speaker)}>` : '';
    return `${cueIdentifier(cue.id)}${vttTime(cue.startMs)} --> ${vttTime(cue.endMs)}\n${voice}${escapeVtt(cue.text)}`;
  });
  return ['WEBVTT', ...blocks].join('\n\n') + '\n';
}

/**
 * SRT: numbered cues, the speaker in front of the text. It starts with a byte order mark: SRT
 * declares no encoding, and players on Chinese Windows read a file without one as GBK.
 */
export function renderSrt(cues: readonly TranscriptCue[]): string {
  const blocks = cues.map(
    (cue, index) =>
      `${index + 1}\n${srtTime(cue.startMs)} --> ${srtTime(cue.endMs)}\n${cue.speaker ? `${cue.speaker}: ` : ''}${cue.text.replaceAll('-->', '->')}`,
  );
  return '\uFEFF' + blocks.map((block) => `${block}\n\n`).join('');
}

/** One line per cue: "[start – end] speaker (role): text". */
export function renderPlainText(cues: readonly TranscriptCue[]): string {
  return cues
    .map((cue) => {
      const who = cue.speaker ? `${cue.speaker}${cue.role && cue.role !== cue.speaker ? ` (${cue.role})` : ''}: ` : '';
      return `[${vttTime(cue.startMs)} – ${vttTime(cue.endMs)}] ${who}${cue.text}\n`;
    })
    .join('');
}

/** hh:mm:ss.mmm (hours grow past two digits if they must). */
export function vttTime(ms: number): string {
  return clockTime(ms, '.');
}

/** hh:mm:ss,mmm */
export function srtTime(ms: number): string {
  return clockTime(ms, ',');
}

function clockTime(ms: number, separator: '.' | ','): string {
  const safe = Math.max(0, Math.round(ms));
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hours = Math.floor(safe / 3_600_000);
  const minutes = Math.floor((safe % 3_600_000) / 60_000);
  const seconds = Math.floor((safe % 60_000) / 1000);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(safe % 1000, 3)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** WebVTT cue text and voice names: &, < and > are markup (so "-->" cannot appear either). */
function escapeVtt(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** An identifier line, unless the id could be mistaken for a timing line. */
function cueIdentifier(id: string): string {
  const line = oneLine(id);
  return line && !line.includes('-->') ? `${line}\n` : '';
}
