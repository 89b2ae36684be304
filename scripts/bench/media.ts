// Hearing SFU benchmark (issue 4): hearings of 2, 4 and 6 werift participants, each sending Opus audio
// (20 ms packets) and VP8-sized video RTP at 15 fps through one hearing router running in a child process.
// Measures the router process's CPU and RSS (/proc), forwarded streams per core and the latency through
// the SFU (send time written into each video payload). `npm run bench:media [-- --duration S] [--sizes 2,4,6]`.
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ServerSignal } from '../../media/signalling/protocol.ts';
import { MediaTestClient, type SignallingRouter } from '../../test/support/media-client.ts';
import { opusTone, pause } from '../../test/support/media-samples.ts';
import { processCpuMicros } from './process-cpu.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string' }, sizes: { type: 'string' }, warmup: { type: 'string' } },
  strict: true,
});
const DURATION_S = Number(values.duration ?? 15);
const WARMUP_S = Number(values.warmup ?? 3);
const SIZES = (values.sizes ?? '2,4,6').split(',').map(Number);
const ROUTER_PROCESS = fileURLToPath(new URL('./media-router-process.ts', import.meta.url));
/** mediasoup's documented capacity (its "scalability" page: ~500 consumers per worker/core). Not measured here. */
const MEDIASOUP_CONSUMERS_PER_CORE = 500;
/** A 15 fps VP8 frame of ~2.2 KB (≈ 260 kbit/s, a 640×360 talking head), sent as two RTP packets. */
const VIDEO_PACKET_BYTES = 1_100;
const VIDEO_PACKETS_PER_FRAME = 2;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface RouterChild {
  child: ChildProcess;
  proxy: (participantId: string) => SignallingRouter;
  deliverTo: Map<string, (message: ServerSignal) => void>;
  stats(): Promise<{ forwardedPackets: number }>;
}

async function startRouter(hearingId: string): Promise<RouterChild> {
  const child = fork(ROUTER_PROCESS, [hearingId], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const deliverTo = new Map<string, (message: ServerSignal) => void>();
  let statsWaiter: ((stats: { forwardedPackets: number }) => void) | undefined;
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { type: string; participantId?: string; message?: ServerSignal; forwardedPackets?: number }) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'signal') deliverTo.get(message.participantId!)?.(message.message!);
      else if (message.type === 'stats') statsWaiter?.({ forwardedPackets: message.forwardedPackets! });
    });
  });
  return {
    child,
    deliverTo,
    proxy: () => ({
      hearingId,
      handleSignal: async (participantId, raw, send) => {
        deliverTo.set(participantId, send);
        child.send({ type: 'signal', participantId, message: typeof raw === 'string' ? JSON.parse(raw) : raw });
      },
    }),
    stats: () =>
      new Promise((resolve) => {
        statsWaiter = resolve;
        child.send({ type: 'stats' });
      }),
  };
}

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Result {
  participants: number;
  streams: number;
  tracks: number;
  cpuPercent: number;
  rssMiB: number;
  packetsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  delivered: number;
}

async function runHearing(participants: number): Promise<Result> {
  const hearingId = `bench-${participants}`;
  const router = await startRouter(hearingId);
  const pid = router.child.pid!;
  const ids = Array.from({ length: participants }, (_, i) => `p${i + 1}`);
  const clients = ids.map((id) => new MediaTestClient(router.proxy(id), id));
  for (const client of clients) await client.join();
  router.child.send({ type: 'admit', participantIds: ids });
  const deadline = Date.now() + 30_000;
  const ready = () =>
    clients.every(
      (client) =>
        client.connected &&
        ids.every((other) => other === client.participantId || client.state?.participants.find((p) => p.participantId === other)?.videoMid),
    );
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`hearing of ${participants}: participants did not connect`);
    await pause(100);
  }

  const latencies: number[] = [];
  let measuring = false;
  let videoReceived = 0;
  for (const client of clients) {
    client.onReceive = (kind, packet) => {
      if (!measuring || kind !== 'video' || packet.payload.length < 9) return;
      videoReceived++;
      latencies.push(performance.now() - packet.payload.readDoubleLE(1));
    };
  }
  const tone = opusTone(50);
  const videoPayload = () => {
    const payloads = Array.from({ length: VIDEO_PACKETS_PER_FRAME }, (_, i) => {
      const payload = Buffer.alloc(VIDEO_PACKET_BYTES, 0x5a);
      payload[0] = i === 0 ? 0x10 : 0x00;
      payload.writeDoubleLE(performance.now(), 1);
      return payload;
    });
    return payloads;
  };
  // Paced by absolute deadlines so a late tick does not slow the whole stream down.
  let tick = 0;
  const start = performance.now();
  let videoSent = 0;
  const sendUntil = async (endMs: number) => {
    while (performance.now() < endMs) {
      for (const client of clients) client.sendAudio(tone[tick % tone.length]!);
      if (tick % 10 === 0 || tick % 10 === 3 || tick % 10 === 7) {
        for (const client of clients) client.sendVideoFrame(videoPayload());
        if (measuring) videoSent += clients.length * VIDEO_PACKETS_PER_FRAME;
      }
      tick++;
      const next = start + tick * 20;
      await pause(Math.max(0, next - performance.now()));
    }
  };
  await sendUntil(performance.now() + WARMUP_S * 1_000);
  measuring = true;
  const cpuBefore = processCpuMicros(pid);
  const statsBefore = await router.stats();
  const t0 = performance.now();
  await sendUntil(t0 + DURATION_S * 1_000);
  const elapsedMs = performance.now() - t0;
  const cpuAfter = processCpuMicros(pid);
  const statsAfter = await router.stats();
  measuring = false;
  const rss = rssKiB(pid);
  await pause(200);
  router.child.send({ type: 'close' });
  await new Promise((resolve) => router.child.once('exit', resolve));
  await Promise.all(clients.map((client) => client.close()));

  latencies.sort((a, b) => a - b);
  const streams = participants * (participants - 1);
  return {
    participants,
    streams,
    tracks: streams * 2,
    cpuPercent: ((cpuAfter - cpuBefore) / (elapsedMs * 1_000)) * 100,
    rssMiB: rss / 1024,
    packetsPerSecond: ((statsAfter.forwardedPackets - statsBefore.forwardedPackets) * 1_000) / elapsedMs,
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
    delivered: videoSent ? videoReceived / (videoSent * (participants - 1)) : Number.NaN,
  };
}

const results: Result[] = [];
const loadBefore = execFileSync('uptime', { encoding: 'utf8' }).trim();
for (const size of SIZES) {
  log(`hearing of ${size}: ${WARMUP_S} s warm-up, ${DURATION_S} s measured…`);
  results.push(await runHearing(size));
}
const loadAfter = execFileSync('uptime', { encoding: 'utf8' }).trim();

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const lines = [
  `Hearing SFU benchmark — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ${DURATION_S} s measured per hearing after ${WARMUP_S} s warm-up`,
  `load before: ${loadBefore}`,
  `load after:  ${loadAfter}`,
  '',
  '| participants | forwarded streams (pairs, audio+video) | forwarded tracks | SFU CPU % of one core | CPU per stream | streams per core | RSS MiB | RSS per stream MiB | forwarded packets/s | latency p50 ms | latency p99 ms | video delivered |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) =>
    `| ${r.participants} | ${r.streams} | ${r.tracks} | ${f(r.cpuPercent)} | ${f(r.cpuPercent / r.streams, 2)} % | ${f((r.streams * 100) / r.cpuPercent, 0)} | ${f(r.rssMiB)} | ${f(r.rssMiB / r.streams, 2)} | ${f(r.packetsPerSecond, 0)} | ${f(r.latencyP50, 2)} | ${f(r.latencyP99, 2)} | ${f(r.delivered * 100)} % |`,
  ),
  '',
  ...(() => {
    // The router process has a fixed cost (Node, tsx, RTCP timers per connection): the slope between the
    // smallest and the largest hearing is the cost of one more forwarded stream.
    const [small, large] = [results[0], results.at(-1)];
    if (!small || !large || small === large) return [];
    const cpuPerStream = (large.cpuPercent - small.cpuPercent) / (large.streams - small.streams);
    const rssPerStream = (large.rssMiB - small.rssMiB) / (large.streams - small.streams);
    return [
      `Marginal cost (${small.participants} → ${large.participants} participants): ${f(cpuPerStream, 2)} % of a core and ${f(rssPerStream, 2)} MiB per forwarded stream` +
        ` → ${f(100 / cpuPerStream, 0)} streams (${f(200 / cpuPerStream, 0)} tracks) per core.`,
    ];
  })(),
  `Peer (documented, not measured here): mediasoup ~${MEDIASOUP_CONSUMERS_PER_CORE} consumers per core (C++ worker). A consumer is one forwarded track,`,
  `so compare with forwarded tracks per core: ${results.map((r) => `${r.participants} → ${f((r.tracks * 100) / r.cpuPercent, 0)}`).join(', ')}.`,
  `Target: 6-party hearing under 50 % of one core → ${(() => {
    const six = results.find((r) => r.participants === 6);
    return six ? `${f(six.cpuPercent)} % (${six.cpuPercent < 50 ? 'met' : 'NOT met'})` : 'not run';
  })()}`,
];
console.log(lines.join('\n'));
