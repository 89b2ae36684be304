// Audio taps (16 kHz PCM for speech recognition) and per-track WebM recording, fed by werift peers.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AudioFrame } from '../../media/audio/audio-tap.ts';
import { HearingRouter } from '../../media/sfu/hearing-router.ts';
import type { MediaTestClient } from '../support/media-client.ts';
import { opusTone, pause, rms } from '../support/media-samples.ts';
import { joinRouter } from '../support/router-hearing.ts';
import { vp8TestFrames } from '../support/vp8-frames.ts';

const WAIT = { timeout: 15_000, interval: 50 };
let router: HearingRouter | undefined;
const clients: MediaTestClient[] = [];
const cleanup: string[] = [];

afterEach(async () => {
  await router?.close();
  router = undefined;
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const path of cleanup.splice(0)) rmSync(path, { recursive: true, force: true });
});

async function hearingWith(ids: string[], admit: string[]): Promise<MediaTestClient[]> {
  router = new HearingRouter({ hearingId: 'h-tap', loopbackOnly: true });
  return joinRouter(router, ids, admit, clients, WAIT);
}

describe('audio taps', () => {
  it("yields 16 kHz PCM of a participant's tone with rising hearing times", async () => {
    const [party] = await hearingWith(['party', 'judge'], ['party', 'judge']);
    const frames: AudioFrame[] = [];
    const tap = router!.audioTap('party');
    tap.on('frame', (frame) => frames.push(frame));
    const tone = opusTone(50, 440);
    for (const packet of tone) {
      party!.sendAudio(packet);
      await pause(2);
    }
    await vi.waitFor(() => expect(frames.length).toBeGreaterThanOrEqual(45), WAIT);
    expect(frames.every((frame) => frame.sampleRate === 16_000 && frame.samples.length === 320 && frame.participantId === 'party')).toBe(true);
    // Opus needs a few frames to settle; the rest carry the tone.
    expect(rms(frames[30]!.samples)).toBeGreaterThan(1_000);
    const times = frames.map((frame) => frame.hearingTimeMs);
    expect(times[10]! - times[9]!).toBeCloseTo(20, 5);
    expect(times.at(-1)! - times[0]!).toBeCloseTo(20 * (frames.length - 1), 5);
    tap.close();
  });

  it('yields nothing for a muted or a not-admitted participant', async () => {
    const [party, waiting] = await hearingWith(['party', 'waiting', 'judge'], ['party', 'judge']);
    router!.setMuted('party', true);
    const frames: AudioFrame[] = [];
    router!.audioTap('party').on('frame', (frame) => frames.push(frame));
    router!.audioTap('waiting').on('frame', (frame) => frames.push(frame));
    const judgeTap: AudioFrame[] = [];
    router!.audioTap('judge').on('frame', (frame) => judgeTap.push(frame));
    const tone = opusTone(30);
    for (const packet of tone) {
      party!.sendAudio(packet);
      waiting!.sendAudio(packet);
      clients[2]!.sendAudio(packet);
      await pause(2);
    }
    // The judge's packets went through the same sockets at the same time.
    await vi.waitFor(() => expect(judgeTap.length).toBeGreaterThanOrEqual(25), WAIT);
    expect(frames).toEqual([]);
    expect(router!.transportOf('party')!.published.get('audio')).toBeDefined();
  });
});

describe('recording', () => {
  it('writes one WebM per track that ffprobe reads, with the duration sent', async () => {
    const [party] = await hearingWith(['party', 'judge'], ['party', 'judge']);
    await router!.startRecording();
    expect(router!.isRecording).toBe(true);
    const seconds = 3;
    const video = vp8TestFrames(seconds, 15);
    const tone = opusTone(50 * seconds, 440);
    // 50 audio packets and 15 video frames per second of media time, sent faster than real time.
    const firstSent = Date.now();
    for (let i = 0; i < tone.length; i++) {
      party!.sendAudio(tone[i]!);
      if (i % 10 === 0 || i % 10 === 3 || i % 10 === 7) {
        const frame = video.shift();
        if (frame) party!.sendVideoFrame(frame, 6000);
      }
      await pause(3);
    }
    await pause(300);
    const files = await router!.stopRecording();
    expect(router!.isRecording).toBe(false);
    for (const file of files) cleanup.push(file.path);
    expect(files.map((file) => `${file.participantId}:${file.kind}`).sort()).toEqual(['party:audio', 'party:video']);
    for (const file of files) {
      expect(file.bytes).toBeGreaterThan(1_000);
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      // Its time 0 is its first packet's arrival, which transcript exports line up with.
      expect(file.startedAt.getTime()).toBeGreaterThanOrEqual(firstSent);
      expect(file.startedAt.getTime() - firstSent).toBeLessThan(seconds * 1000);
      const probe = JSON.parse(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name,codec_type', '-of', 'json', file.path], { encoding: 'utf8' }),
      ) as { format: { duration: string }; streams: { codec_name: string; codec_type: string }[] };
      expect(probe.streams[0]!.codec_name).toBe(file.kind === 'audio' ? 'opus' : 'vp8');
      expect(Math.abs(Number(probe.format.duration) - seconds), `${file.kind} duration`).toBeLessThanOrEqual(1);
    }
  });
});
