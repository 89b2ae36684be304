// One benchmark scenario against one running server: rooms × clients, writers at a fixed rate,
// fan-out latency at every other client, server CPU and RSS from /proc, convergence at the end.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BenchClient, type AnnotationAuthor } from './hub-client.ts';
import { processCpuSeconds, processRssBytes, type RunningServer } from './hub-servers.ts';

/** Readers per room that keep applying every update to a full Y.Doc (with the writers: the convergence check). */
export const FULL_READERS_PER_ROOM = 2;

export interface Scenario {
  name: string;
  rooms: number;
  clientsPerRoom: number;
  writersPerRoom: number;
  /** Updates per second per writer. */
  ratePerWriter: number;
  durationS: number;
}

/** Who the clients are: on this hub real sessions (tokens) on a real case; peers take anything. */
export interface Identities {
  caseId: string;
  /** A new room's document: on this hub the annotations of an evidence file just uploaded to the case (the hub admits no other). */
  newRoomDoc(): Promise<string>;
  writer: { token: string | null; author: AnnotationAuthor };
  readerTokens: (string | null)[];
}

export interface ScenarioResult {
  server: string;
  scenario: string;
  clients: number;
  sent: number;
  /** Updates actually sent per second (below the nominal rate when the client process is the bottleneck). */
  sentPerS: number;
  delivered: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  deliveredPerS: number;
  /** Server CPU over the measured phase: its process plus, on Postgres, the backends of its database. */
  cpuSeconds: number;
  /** Of cpuSeconds, the Postgres backends' share (NaN: no external database). */
  databaseCpuSeconds: number;
  cpuSecondsPerMillion: number;
  rssBytes: number;
  converged: boolean;
  refusals: number;
  closed: number;
  /** The writing phase and drain (what cpuSeconds covers), for the CPU profile's window. */
  measured: { fromUs: number; toUs: number };
}

export class ScenarioSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioSetupError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new ScenarioSetupError(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** CLOCK_MONOTONIC in microseconds: the clock of V8 CPU profiles in any process of this machine. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

class LatencyLog {
  private values = new Float64Array(1 << 16);
  count = 0;
  recording = false;
  add(ms: number): void {
    if (!this.recording) return;
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }
  sorted(): Float64Array {
    return this.values.slice(0, this.count).sort();
  }
}

export async function runScenario(server: RunningServer, scenario: Scenario, who: Identities): Promise<ScenarioResult> {
  const latencies = new LatencyLog();
  const rooms: { writers: BenchClient[]; clients: BenchClient[]; sent: number }[] = [];
  const fullReaders = (room: (typeof rooms)[number]) => room.clients.slice(scenario.writersPerRoom, scenario.writersPerRoom + FULL_READERS_PER_ROOM);
  const all: BenchClient[] = [];
  const withToken = (url: string, token: string | null) => (token ? `${url}?token=${encodeURIComponent(token)}` : url);
  try {
    // Connect in batches so the servers see a realistic join rather than one burst of thousands of handshakes.
    let readerIndex = 0;
    for (let r = 0; r < scenario.rooms; r++) {
      const docName = await who.newRoomDoc();
      const room = { writers: [] as BenchClient[], clients: [] as BenchClient[], sent: 0 };
      for (let c = 0; c < scenario.clientsPerRoom; c++) {
        const writer = c < scenario.writersPerRoom;
        const token = writer ? who.writer.token : who.readerTokens[readerIndex++ % who.readerTokens.length]!;
        const client = new BenchClient({ url: withToken(server.urlFor(docName), token), docName, framing: server.framing, onLatency: (ms) => latencies.add(ms) });
        room.clients.push(client);
        if (writer) room.writers.push(client);
        all.push(client);
        if (all.length % 100 === 0) await until(() => all.every((c) => c.synced || c.closedWith !== null), 'a batch to sync', 60_000);
      }
      rooms.push(room);
    }
    await until(() => all.every((c) => c.synced || c.closedWith !== null), 'all clients to sync', 60_000);
    const closedEarly = all.filter((c) => c.closedWith !== null);
    if (closedEarly.length) throw new ScenarioSetupError(`${closedEarly.length} clients closed during setup (first code ${closedEarly[0]!.closedWith})`);
    for (const room of rooms) for (const writer of room.writers) writer.createAnnotation(who.writer.author, randomUUID());
    await until(() => rooms.every((room) => room.clients.every((c) => c.annotationCount() === scenario.writersPerRoom)), 'every client to see the writers’ annotations', 60_000);

    // All but a few full readers per room stop applying updates (hub-client.ts); writers too — their own
    // changes touch only their own annotation, so their documents need nothing of the others'.
    for (const room of rooms) for (const client of room.clients) if (!fullReaders(room).includes(client)) client.lighten();
    const stopDatabaseCpu = await server.startDatabaseCpu?.();
    const cpuBefore = processCpuSeconds(server.pid);
    const measuredFromUs = monotonicUs();
    latencies.recording = true;
    let sent = 0;
    const intervalMs = 1000 / scenario.ratePerWriter;
    const timers: NodeJS.Timeout[] = [];
    for (const room of rooms) {
      for (const writer of room.writers) {
        // Spread the writers over one interval so their updates do not all land in the same tick.
        const offset = setTimeout(() => {
          timers.push(
            setInterval(() => {
              writer.write();
              sent += 1;
              room.sent += 1;
            }, intervalMs),
          );
        }, Math.random() * intervalMs);
        timers.push(offset);
      }
    }
    const startedAt = performance.now();
    await sleep(scenario.durationS * 1000);
    for (const timer of timers) clearTimeout(timer);
    const expected = sent * (scenario.clientsPerRoom - 1);
    // Drain: until every update has arrived, or nothing arrives for 1 s (5 s at most).
    const drainDeadline = Date.now() + 5_000;
    let last = latencies.count;
    let quietSince = Date.now();
    while (latencies.count < expected && Date.now() < drainDeadline && Date.now() - quietSince < 1_000) {
      await sleep(50);
      if (latencies.count !== last) {
        last = latencies.count;
        quietSince = Date.now();
      }
    }
    const elapsedS = (performance.now() - startedAt) / 1000;
    latencies.recording = false;
    const databaseCpuSeconds = stopDatabaseCpu ? await stopDatabaseCpu() : Number.NaN;
    const cpuSeconds = processCpuSeconds(server.pid) - cpuBefore + (Number.isNaN(databaseCpuSeconds) ? 0 : databaseCpuSeconds);
    const measuredToUs = monotonicUs();
    const rssBytes = processRssBytes(server.pid);
    // Full readers: the same state, holding every writer's last text; everyone: every other writer's update seen.
    const converged = rooms.every(
      (room) =>
        new Set(fullReaders(room).map((c) => c.fingerprint())).size === 1 &&
        fullReaders(room).every((reader) => room.writers.every((writer) => reader.annotationText(writer.annotationId) === writer.lastText)) &&
        room.clients.every((c) => c.updatesSeen === room.sent - c.written),
    );
    const sorted = latencies.sorted();
    return {
      server: server.name,
      scenario: scenario.name,
      clients: all.length,
      sent,
      sentPerS: sent / scenario.durationS,
      delivered: latencies.count,
      expected,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      deliveredPerS: latencies.count / elapsedS,
      cpuSeconds,
      databaseCpuSeconds,
      cpuSecondsPerMillion: (cpuSeconds / latencies.count) * 1e6,
      rssBytes,
      converged,
      refusals: all.reduce((n, c) => n + c.refusals, 0),
      closed: all.filter((c) => c.closedWith !== null).length,
      measured: { fromUs: measuredFromUs, toUs: measuredToUs },
    };
  } finally {
    for (const client of all) client.close();
    // Let the server notice the closes (and this hub unload and flush its rooms) before the next scenario.
    await sleep(1_000);
  }
}
