// The little SDP reading the browser side needs. The media node always offers; the m-lines it
// offers as recvonly are the ones on which this browser publishes its camera and microphone
// (media/sfu/participant-transport.ts adds them first), the sendonly ones bring the others.

export interface OfferedLine {
  mid: string;
  kind: 'audio' | 'video' | 'other';
  /** The direction as the offerer (the media node) wrote it. */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

export function offeredLines(sdp: string): OfferedLine[] {
  const lines: OfferedLine[] = [];
  let current: { kind: OfferedLine['kind']; mid: string | null; direction: OfferedLine['direction']; rejected: boolean } | null = null;
  const flush = () => {
    if (current && current.mid !== null && !current.rejected) lines.push({ mid: current.mid, kind: current.kind, direction: current.direction });
  };
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      flush();
      const [media, port] = line.slice(2).split(' ');
      // A port of 0 is a rejected (stopped) m-line.
      current = { kind: media === 'audio' || media === 'video' ? media : 'other', mid: null, direction: 'sendrecv', rejected: port === '0' };
    } else if (current && line.startsWith('a=mid:')) {
      current.mid = line.slice('a=mid:'.length);
    } else if (current && line.startsWith('a=') && DIRECTIONS.has(line.slice(2))) {
      current.direction = line.slice(2) as OfferedLine['direction'];
    }
  }
  flush();
  return lines;
}

/** The first recvonly audio and video m-lines: where this browser sends its microphone and camera. */
export function publishingMids(sdp: string): { audio: string | null; video: string | null } {
  const lines = offeredLines(sdp);
  const first = (kind: 'audio' | 'video') => lines.find((line) => line.kind === kind && line.direction === 'recvonly')?.mid ?? null;
  return { audio: first('audio'), video: first('video') };
}
