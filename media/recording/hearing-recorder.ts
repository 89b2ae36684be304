// Records each participant's forwarded audio and video, one WebM file per track, with werift's
// MediaRecorder. The router feeds it the same packets it forwards, so what is recorded is what the
// room heard (a muted participant's audio is not recorded). Storing and hashing into the audit is the caller's.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaStreamTrack, type RTCRtpCodecParameters, type RtpPacket } from 'werift';
import { MediaRecorder } from 'werift/nonstandard';
import type { MediaKind } from '../sfu/media-tracks.ts';
import { startsVp8KeyFrame } from './vp8-key-frame.ts';

export interface RecordedFile {
  participantId: string;
  kind: MediaKind;
  path: string;
  sha256: string;
  bytes: number;
  /** When the file's first packet arrived: its time 0, so a transcript can be lined up with it. */
  startedAt: Date;
}

export interface HearingRecorderOptions {
  hearingId: string;
  /** Where the WebM files go; a fresh temporary directory by default. */
  directory?: string;
}

interface TrackRecording {
  participantId: string;
  kind: MediaKind;
  path: string;
  /** The publisher's SSRC: a reconnect brings a new one and a new RTP clock, so a new file. */
  ssrc: number;
  /** A local track the router writes gated packets into; the MediaRecorder listens to it. */
  feed: MediaStreamTrack;
  recorder: MediaRecorder;
  /** Packets that arrive while the file is being opened; without them a video file would wait for the next key frame. */
  pending: RtpPacket[] | undefined;
  opened: Promise<void>;
  /** Whether the file holds a frame: any audio packet, or a VP8 key frame (video is written from one on). */
  hasFrames: boolean;
  /** The first packet's arrival (the file's time 0 for audio; video waits for a key frame). */
  startedAt: Date;
}

/** About 10 s of audio or 2 s of busy video: far more than opening a file takes. */
const MAX_PENDING_PACKETS = 500;

export class HearingRecorder {
  /** The file currently written per `${participantId}:${kind}`. */
  private readonly recordings = new Map<string, TrackRecording>();
  /** Every file opened, in order (a reconnect opens a second file for the same track). */
  private readonly opened: TrackRecording[] = [];
  private stopped: Promise<RecordedFile[]> | undefined;
  private sequence = 0;

  /** Creates the output directory (a fresh temporary one unless given) and returns a recorder writing into it. */
  static async start(options: HearingRecorderOptions): Promise<HearingRecorder> {
    const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'ecourt-recording-')));
    return new HearingRecorder(options.hearingId, directory);
  }

  private constructor(
    private readonly hearingId: string,
    readonly directory: string,
  ) {}

  get isRecording(): boolean {
    return this.stopped === undefined;
  }

  /** One forwarded packet of a participant's track; the first one opens that track's file. */
  write(participantId: string, kind: MediaKind, codec: RTCRtpCodecParameters | undefined, packet: RtpPacket): void {
    if (this.stopped || !codec) return;
    const key = `${participantId}:${kind}`;
    const current = this.recordings.get(key);
    const recording = current && current.ssrc === packet.header.ssrc ? current : this.open(participantId, kind, codec, packet.header.ssrc);
    // (Other video codecs: counted from their first packet; the SFU negotiates VP8.)
    if (!recording.hasFrames) recording.hasFrames = kind === 'audio' || codec.mimeType.toLowerCase() !== 'video/vp8' || startsVp8KeyFrame(packet.payload);
    if (recording.pending) {
      if (recording.pending.length < MAX_PENDING_PACKETS) recording.pending.push(packet.clone());
      return;
    }
    recording.feed.onReceiveRtp.execute(packet);
  }

  private open(participantId: string, kind: MediaKind, codec: RTCRtpCodecParameters, ssrc: number): TrackRecording {
    const path = join(this.directory, `${safe(this.hearingId)}-${safe(participantId)}-${kind}-${++this.sequence}.webm`);
    const feed = new MediaStreamTrack({ kind, codec });
    // One track per file, timed by RTP timestamps: no lip sync across files and no RTCP needed.
    const recorder = new MediaRecorder({ path, numOfTracks: 1, disableLipSync: true, disableNtp: true });
    const recording: TrackRecording = { participantId, kind, path, ssrc, feed, recorder, pending: [], opened: Promise.resolve(), hasFrames: false, startedAt: new Date() };
    // addTrack resolves once the writer listens to the feed: then the packets held meanwhile go in first.
    recording.opened = recorder
      .addTrack(feed)
      .catch(() => {})
      .then(() => {
        const pending = recording.pending ?? [];
        recording.pending = undefined;
        for (const held of pending) feed.onReceiveRtp.execute(held);
      });
    this.recordings.set(`${participantId}:${kind}`, recording);
    this.opened.push(recording);
    return recording;
  }

  /** Finishes every file; later calls return the same list. */
  stop(): Promise<RecordedFile[]> {
    if (!this.stopped) {
      this.stopped = (async () => {
        const files: RecordedFile[] = [];
        for (const recording of this.opened) {
          await recording.opened;
          await recording.recorder.stop();
          recording.feed.stop();
          const bytes = (await stat(recording.path).catch(() => undefined))?.size;
          if (bytes === undefined) continue; // a track that never produced a frame leaves no file
          // Only a header (e.g. a reconnect's video file closed before its first key frame): not a recording.
          if (!recording.hasFrames) {
            await rm(recording.path, { force: true });
            continue;
          }
          files.push({ participantId: recording.participantId, kind: recording.kind, path: recording.path, bytes, sha256: await sha256File(recording.path), startedAt: recording.startedAt });
        }
        return files;
      })();
    }
    return this.stopped;
  }
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
