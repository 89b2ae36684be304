// The live part of the speech recognition benchmark: the whole platform in-process (demo court), the
// judge and a party as werift peers in the hearing, the party speaking the court sentence as Opus
// (20 ms packets, paced), observers on the transcript document over /yjs as browsers are. Measures
// the time from the utterance's last voiced audio packet to its final ASR segment (source 'asr:*',
// not partial) at every observer. Written against that observable behaviour only: when no ASR segment
// arrives, the result says the pipeline is not available.
import { createRequire } from 'node:module';
import OpusScript from 'opusscript';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { HearingRouter } from '../../media/sfu/hearing-router.ts';
import type { ServerSignal } from '../../media/signalling/protocol.ts';
import { segmentsOf } from '../../hub/collab/transcript-model.ts';
import { wordErrorRate } from '../../models/asr/word-error-rate.ts';
import { fixtureSpeech } from '../../test/support/asr-audio.ts';
import { demoHearing, startDemoPlatform, type DemoPlatform } from '../../test/support/demo-platform.ts';
import { bringToTheRoom } from '../../test/support/hearing-flow.ts';
import { MediaTestClient } from '../../test/support/media-client.ts';
import { connectRt, type RawClient } from '../../test/support/rt-client.ts';

const WebSocketImpl = createRequire(import.meta.url)('ws') as unknown;
const FRAME_MS = 20;
/** Silence after each utterance before the next: the recogniser's end-of-speech detection needs some. */
const GAP_MS = 2_500;
const TIMEOUT_MS = 10_000;
const OBSERVERS = ['judge1', 'clerk1', 'lawyer1'] as const;

export type LiveLatencyResult =
  | { available: false; reason: string }
  | {
      available: true;
      utterances: number;
      speaker: string;
      peers: number;
      observers: number;
      /** Per utterance: its last voiced packet → the final segment at the slowest observer, ms. */
      latencies: number[];
      /** Per utterance: its first packet → a partial (or final) segment at the first observer, ms. */
      partialLatencies: number[];
      missed: number;
      wer: number;
      timeoutMs: number;
    };

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The frame holding the last voiced sample: the end of the utterance (the fixture ends with a little
 * silence, which counts as waiting for the end of speech, not as speech).
 */
function lastVoicedFrame(samples16k: Int16Array): number {
  let last = samples16k.length - 1;
  while (last > 0 && Math.abs(samples16k[last]!) < 500) last--;
  return Math.floor((last * 3) / 960);
}

/** The 16 kHz fixture as 20 ms Opus frames at 48 kHz (linear interpolation ×3), as a browser would send it. */
function opusFrames(samples16k: Int16Array): Buffer[] {
  const pcm = new Int16Array(samples16k.length * 3);
  for (let i = 0; i < samples16k.length; i++) {
    const here = samples16k[i]!;
    const next = samples16k[i + 1] ?? here;
    for (let step = 0; step < 3; step++) pcm[i * 3 + step] = Math.round(here + ((next - here) * step) / 3);
  }
  const encoder = new OpusScript(48_000, 1, OpusScript.Application.VOIP);
  const frames: Buffer[] = [];
  for (let offset = 0; offset + 960 <= pcm.length; offset += 960) {
    frames.push(Buffer.from(encoder.encode(Buffer.from(pcm.buffer, pcm.byteOffset + offset * 2, 960 * 2), 960)));
  }
  const silent = Buffer.alloc(960 * 2);
  const silence = Buffer.from(encoder.encode(silent, 960));
  encoder.delete();
  return [...frames, silence];
}

interface Seen {
  partialAt?: number;
  finalAt?: number;
  text?: string;
}

/** What one observer's document showed of ASR segments, and when. */
function watchTranscript(doc: Y.Doc): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  const scan = () => {
    const now = performance.now();
    for (const segment of segmentsOf(doc)) {
      if (!segment.source.startsWith('asr:')) continue;
      let entry = seen.get(segment.id);
      if (!entry) seen.set(segment.id, (entry = {}));
      entry.partialAt ??= now;
      if (!segment.partial && segment.text.trim() !== '' && entry.finalAt === undefined) {
        entry.finalAt = now;
        entry.text = segment.text;
      }
    }
  };
  doc.on('update', scan);
  return seen;
}

export async function runLiveHearingLatency({ utterances, log }: { utterances: number; log: (line: string) => void }): Promise<LiveLatencyResult> {
  // The recogniser's configuration reaches the platform as it would a node (engine, model, on/off).
  const asrEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('ECOURT_ASR') || key === 'WHISPER_MODEL')) as Record<string, string>;
  const demo: DemoPlatform = await startDemoPlatform({ tempPrefix: 'ecourt-bench-asr-live-', env: { ECOURT_MEDIA_LOOPBACK_ONLY: 'true', ...asrEnv } });
  const sockets: RawClient[] = [];
  const peers: MediaTestClient[] = [];
  const providers: WebsocketProvider[] = [];
  try {
    const tokens: Record<string, string> = {};
    for (const username of ['judge1', 'clerk1', 'party1', 'lawyer1']) tokens[username] = (await demo.logIn(username)).token;
    const hearing = await demoHearing(demo.base, tokens.judge1!);
    const api = async (as: string, path: string, body?: unknown) => {
      const response = await fetch(`${demo.base}/api/v1/hearings/${hearing.id}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${tokens[as]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json()) as any };
    };
    const command = async (as: string, body: Record<string, unknown>) => {
      const answer = await api(as, '/commands', { v: 1, command: body });
      if (answer.status !== 200) throw new Error(`${String(body.type)} by ${as}: ${JSON.stringify(answer.json)}`);
      return answer.json;
    };
    const until = async (what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await probe())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await pause(50);
      }
    };
    await until('the hearing actor', async () => (await api('judge1', '/live')).status === 200);
    const seats: Record<string, string> = {};
    for (const username of ['judge1', 'party1']) seats[username] = (await api(username, '/live')).json.me.participantId;
    const transcriptDoc = (await api('judge1', '/live')).json.transcriptDoc as string;

    await command('clerk1', { type: 'OPEN_LOBBY' });
    await bringToTheRoom(command, { judge: ['judge1', seats.judge1!], party: ['party1', seats.party1!] });
    const mediaPeer = async (as: string) => {
      const rt = await connectRt(demo.base, `?token=${encodeURIComponent(tokens[as]!)}`, sockets);
      await rt.next('ready');
      const overRt = { hearingId: hearing.id, handleSignal: async (_id: string, message: unknown) => rt.send(typeof message === 'string' ? JSON.parse(message) : message) };
      const peer = new MediaTestClient(overRt as unknown as HearingRouter, seats[as]!);
      peers.push(peer);
      rt.ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as ServerSignal;
        if (typeof message.type === 'string' && message.type.startsWith('media.')) peer.deliver(message);
      });
      await peer.join();
      return peer;
    };
    const judge = await mediaPeer('judge1');
    const party = await mediaPeer('party1');
    await until('both peers connected', () => judge.connected && party.connected);
    await command('judge1', { type: 'ADMIT', participantId: seats.party1 });
    await command('party1', { type: 'JOIN_ROOM', participantId: seats.party1 });
    await command('judge1', { type: 'START' });

    const observers = OBSERVERS.map((username) => {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`${demo.base.replace('http', 'ws')}/yjs`, transcriptDoc, doc, {
        params: { token: tokens[username]! },
        WebSocketPolyfill: WebSocketImpl as never,
        disableBc: true,
      });
      providers.push(provider);
      return { username, provider, seen: watchTranscript(doc) };
    });
    await until('the observers synced', () => observers.every((o) => o.provider.synced));

    const speech = fixtureSpeech('court-in-session');
    const frames = opusFrames(speech.samples);
    const silenceFrame = frames.pop()!;
    // Both peers send all the time, as browsers do; the judge's microphone is quiet.
    const voicedUntil = Math.min(lastVoicedFrame(speech.samples), frames.length - 1);
    let speaking: Buffer[] = [];
    let sentOfUtterance = 0;
    let lastPacketAt = 0;
    let sending = true;
    const sender = (async () => {
      const start = performance.now();
      for (let tick = 0; sending; tick++) {
        const frame = speaking.shift();
        party.sendAudio(frame ?? silenceFrame);
        if (frame && sentOfUtterance++ === voicedUntil) lastPacketAt = performance.now();
        judge.sendAudio(silenceFrame);
        await pause(Math.max(0, start + (tick + 1) * FRAME_MS - performance.now()));
      }
    })();
    await until('the party’s audio reaching the judge', () => judge.receivedFrom(seats.party1!, 'audio') > 10);
    await pause(1_000);

    const latencies: number[] = [];
    const partialLatencies: number[] = [];
    let missed = 0;
    let werSum = 0;
    let werCount = 0;
    const since = (o: (typeof observers)[number], from: number, key: 'partialAt' | 'finalAt') =>
      [...o.seen.values()].filter((entry) => (entry[key] ?? -1) > from);
    for (let k = 0; k < utterances; k++) {
      const firstPacketAt = performance.now();
      lastPacketAt = 0;
      sentOfUtterance = 0;
      speaking = [...frames];
      await until('the utterance sent', () => lastPacketAt > 0, 30_000);
      const spokenAt = lastPacketAt;
      const deadline = spokenAt + TIMEOUT_MS;
      // Enough silence for the end of speech to be detected, then until every observer has the final text.
      while (performance.now() < deadline && (performance.now() < spokenAt + GAP_MS || !observers.every((o) => since(o, firstPacketAt, 'finalAt').length > 0))) {
        await pause(25);
      }
      // Segments of this utterance: final ones shown after its first packet (the last of them completes it).
      const finals = observers.map((o) => since(o, firstPacketAt, 'finalAt'));
      const partials = observers.flatMap((o) => since(o, firstPacketAt, 'partialAt').map((entry) => entry.partialAt!));
      if (partials.length > 0) partialLatencies.push(Math.min(...partials) - firstPacketAt);
      if (finals.some((list) => list.length === 0)) {
        missed++;
        if (k === 0 && observers.every((o) => o.seen.size === 0)) {
          return { available: false, reason: `no ASR segment (source 'asr:*') reached the transcript within ${TIMEOUT_MS} ms of the first utterance` };
        }
        continue;
      }
      latencies.push(Math.max(...finals.map((list) => Math.max(...list.map((entry) => entry.finalAt!)))) - spokenAt);
      const text = finals[0]!.map((entry) => entry.text).join(' ');
      werSum += wordErrorRate(speech.text, text);
      werCount++;
      log(`  utterance ${k + 1}: ${Math.round(latencies.at(-1)!)} ms — ${text}`);
    }
    sending = false;
    await sender;
    return {
      available: true,
      utterances,
      speaker: 'the party',
      peers: peers.length,
      observers: observers.length,
      latencies,
      partialLatencies,
      missed,
      wer: werCount ? werSum / werCount : Number.NaN,
      timeoutMs: TIMEOUT_MS,
    };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    for (const provider of providers) provider.destroy();
    await Promise.all(peers.map((peer) => peer.close()));
    for (const socket of sockets) socket.terminate();
    await demo.stop();
  }
}
