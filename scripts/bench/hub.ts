// Collaboration hub benchmark (issue 3): this hub (authorisation + persistence on; embedded PGlite, and on
// Postgres) against bare @y/websocket-server and @hocuspocus/server, same client harness and scenarios, each server in its own
// child process. `node --import tsx scripts/bench/hub.ts [--scenario NAME]… [--duration S] [--quick]
// [--servers a,b] [--profile] [--write-doc]` — see docs/BENCHMARKS-HUB.md.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDocName } from '../../hub/collab/doc-names.ts';
import { summariseProfile, type ProfileSummary, type ProfileWindow } from './hub-profile.ts';
import { runScenario, type Identities, type Scenario, type ScenarioResult } from './hub-scenario.ts';
import { BENCH_PASSWORD, BENCH_POSTGRES_ADMIN_URL, isHub, processCpuSeconds, startHub, startPeer, type RunningServer, type ServerName } from './hub-servers.ts';
import { solidPng } from '../../test/support/evidence-files.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true },
    duration: { type: 'string' },
    quick: { type: 'boolean', default: false },
    servers: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'write-doc': { type: 'boolean', default: false },
  },
  strict: true,
});

const durationS = Number(values.duration ?? (values.quick ? 3 : 10));
const SCENARIOS: Scenario[] = [
  { name: '1x50', rooms: 1, clientsPerRoom: 50, writersPerRoom: 5, ratePerWriter: 10, durationS },
  { name: '100x10', rooms: 100, clientsPerRoom: 10, writersPerRoom: 1, ratePerWriter: 5, durationS },
  { name: '1x500', rooms: 1, clientsPerRoom: 500, writersPerRoom: 2, ratePerWriter: 5, durationS },
];
/**
 * Saturation: 1 room × 50 clients; 5 writers whose rate doubles, then more writers at 160/s each (the hub's
 * flood limit is 200 msgs/s per session), until p99 > 100 ms or under 95 % delivered.
 */
const SATURATION_STEPS: { writers: number; rate: number }[] = values.quick
  ? [{ writers: 5, rate: 20 }, { writers: 5, rate: 80 }]
  : [20, 40, 80, 160].map((rate) => ({ writers: 5, rate })).concat([{ writers: 10, rate: 160 }, { writers: 20, rate: 160 }, { writers: 40, rate: 160 }, { writers: 48, rate: 160 }, { writers: 48, rate: 190 }]);
const SATURATION_STEP_S = values.quick ? 2 : Math.max(3, Math.round(durationS / 2));

const IDLE_PROBE_MS = 3_000;
const wanted = new Set(values.scenario ?? [...SCENARIOS.map((s) => s.name), 'saturation']);
const serverNames = (values.servers ?? 'ecourt-hub,ecourt-hub-pg,y-websocket-server,hocuspocus').split(',') as ServerName[];

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const log = (line: string) => process.stderr.write(`${line}\n`);

async function hubIdentities(server: RunningServer): Promise<Identities> {
  const login = async (username: string) => {
    const reply = await fetch(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: BENCH_PASSWORD }),
    });
    if (reply.status !== 200) throw new Error(`login ${username}: HTTP ${reply.status}`);
    return (await reply.json()) as { token: string; user: { id: string; role: string; displayName: string } };
  };
  const clerk = await login('clerk1');
  // The demo hearing's case is a case of the demo court: its court staff may open its documents. The hearing
  // reaches the read model through the case projection, shortly after the seed.
  let descriptor: ReturnType<typeof parseDocName> = null;
  for (const deadline = Date.now() + 30_000; !descriptor && Date.now() < deadline; ) {
    const hearings = (await (await fetch(`${server.base}/api/v1/hearings`, { headers: { authorization: `Bearer ${clerk.token}` } })).json()) as {
      hearings: { transcriptDoc: string }[];
    };
    descriptor = parseDocName(hearings.hearings[0]?.transcriptDoc ?? '');
    if (!descriptor) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!descriptor) throw new Error('the demo has no hearing to take a case from');
  const caseId = descriptor.caseId;
  const readers = await Promise.all(['judge1', 'admin1', 'clerk1'].map(login));
  return {
    caseId,
    // Every room is the annotations document of a real evidence file (a tiny PNG) of the case.
    async newRoomDoc() {
      const reply = await fetch(`${server.base}/api/v1/cases/${caseId}/evidence?title=${encodeURIComponent('bench')}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${clerk.token}`, 'content-type': 'image/png' },
        body: solidPng(2, 2) as unknown as BodyInit,
      });
      if (reply.status !== 201) throw new Error(`evidence upload: HTTP ${reply.status} ${await reply.text()}`);
      return ((await reply.json()) as { evidence: { annotationsDoc: string } }).evidence.annotationsDoc;
    },
    writer: { token: clerk.token, author: { userId: clerk.user.id, role: clerk.user.role, displayName: clerk.user.displayName } },
    readerTokens: readers.map((r) => r.token),
  };
}

const PEER_CASE_ID = '00000000-0000-4000-8000-000000000000';
const PEER_IDENTITIES: Identities = {
  caseId: PEER_CASE_ID,
  newRoomDoc: async () => `cases/${PEER_CASE_ID}/evidence/${randomUUID()}/annotations`,
  writer: { token: null, author: { userId: 'writer', role: 'clerk', displayName: 'writer' } },
  readerTokens: [null],
};

interface ServerRun {
  server: ServerName;
  loadBefore: string;
  loadAfter: string;
  results: ScenarioResult[];
  saturation: { writers: number; ratePerWriter: number; result: ScenarioResult }[];
  error?: string;
  /** Server CPU while no client is connected (after startup), in % of one core: the platform's own background work. */
  idleCpuPercent?: number;
  profile?: ProfileSummary;
  profileFile?: string;
}

async function benchServer(name: ServerName): Promise<ServerRun> {
  const profileDir = values.profile && isHub(name) ? mkdtempSync(join(tmpdir(), 'ecourt-hub-prof-')) : undefined;
  const run: ServerRun = { server: name, loadBefore: uptime(), loadAfter: '', results: [], saturation: [] };
  log(`== ${name} (${run.loadBefore})`);
  const server = isHub(name)
    ? await startHub({ cpuProfileDir: profileDir, ...(name === 'ecourt-hub-pg' ? { postgresAdminUrl: BENCH_POSTGRES_ADMIN_URL } : {}) })
    : await startPeer(name as 'y-websocket-server' | 'hocuspocus');
  // The profile is summarised over the measured phases only (writing + drain, what CPU-s/1M counts).
  const windows: ProfileWindow[] = [];
  const timed = async (scenario: Scenario) => {
    const result = await runScenario(server, scenario, who);
    windows.push(result.measured);
    return result;
  };
  let who: Identities = PEER_IDENTITIES;
  try {
    if (isHub(name)) who = await hubIdentities(server);
    const idleFrom = processCpuSeconds(server.pid);
    await new Promise((resolve) => setTimeout(resolve, IDLE_PROBE_MS));
    run.idleCpuPercent = ((processCpuSeconds(server.pid) - idleFrom) / (IDLE_PROBE_MS / 1000)) * 100;
    for (const scenario of SCENARIOS.filter((s) => wanted.has(s.name))) {
      log(`   ${scenario.name} …`);
      const result = await timed(scenario);
      log(`   ${formatRow(result)}`);
      run.results.push(result);
    }
    if (wanted.has('saturation')) {
      for (const { writers, rate } of SATURATION_STEPS) {
        const scenario: Scenario = { name: `sat@${writers}x${rate}/s`, rooms: 1, clientsPerRoom: 50, writersPerRoom: writers, ratePerWriter: rate, durationS: SATURATION_STEP_S };
        log(`   ${scenario.name} …`);
        const result = await timed(scenario);
        log(`   ${formatRow(result)}`);
        run.saturation.push({ writers, ratePerWriter: rate, result });
        if (result.p99Ms > 100 || result.delivered < 0.95 * result.expected) break;
      }
    }
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
    log(`   failed: ${run.error}`);
  } finally {
    await server.stop();
    run.loadAfter = uptime();
  }
  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      run.profileFile = join(profileDir, file);
      run.profile = summariseProfile(run.profileFile, 15, windows);
    }
  }
  return run;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function formatRow(r: ScenarioResult): string {
  return `${r.server} ${r.scenario}: p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms, ${fmt(r.deliveredPerS, 0)} delivered/s, ${fmt(r.cpuSecondsPerMillion)} CPU-s/1M, converged ${r.converged}`;
}

/** CPU-s per 1M delivered; on Postgres with the database backends' part of it. */
function cpuCell(r: ScenarioResult): string {
  if (Number.isNaN(r.databaseCpuSeconds)) return fmt(r.cpuSecondsPerMillion);
  return `${fmt(r.cpuSecondsPerMillion)} (PG ${fmt((r.databaseCpuSeconds / Math.max(1, r.delivered)) * 1e6)})`;
}

const HEADER = '| server | scenario | clients | sent/s | p50 ms | p99 ms | delivered/s | delivered / expected | server CPU-s per 1M delivered | server RSS MB | converged | refused / closed |';
const RULE = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|';
function tableRow(r: ScenarioResult): string {
  return `| ${r.server} | ${r.scenario} | ${r.clients} | ${fmt(r.sentPerS, 0)} | ${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.deliveredPerS, 0)} | ${r.delivered}/${r.expected} (${fmt((100 * r.delivered) / Math.max(1, r.expected), 1)}%) | ${cpuCell(r)} | ${fmt(r.rssBytes / 2 ** 20, 0)} | ${r.converged ? 'yes' : 'NO'} | ${r.refusals} / ${r.closed} |`;
}

/** Highest delivered/s among the saturation steps whose p99 stayed ≤ 100 ms. */
function saturationThroughput(run: ServerRun): number {
  const ok = run.saturation.filter((s) => s.result.p99Ms <= 100 && s.result.delivered >= 0.95 * s.result.expected);
  return ok.length ? Math.max(...ok.map((s) => s.result.deliveredPerS)) : Number.NaN;
}

function report(runs: ServerRun[]): string {
  const lines: string[] = [];
  lines.push(`Run: ${new Date().toISOString()}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; scenario ${durationS} s, saturation steps ${SATURATION_STEP_S} s.`);
  lines.push('');
  lines.push('Machine load (`uptime`) around each server’s run:');
  lines.push('');
  for (const run of runs) lines.push(`- ${run.server}: before \`${run.loadBefore}\`, after \`${run.loadAfter}\`; server idle CPU (no clients, 3 s) ${fmt(run.idleCpuPercent ?? Number.NaN)} % of a core${run.error ? ` — **failed: ${run.error}**` : ''}`);
  lines.push('', HEADER, RULE);
  for (const run of runs) for (const r of run.results) lines.push(tableRow(r));
  for (const run of runs) for (const s of run.saturation) lines.push(tableRow(s.result));
  lines.push('');
  lines.push('Saturation (1 room × 50 clients, `sat@<writers>x<rate per writer>/s`; highest delivered/s with p99 ≤ 100 ms and ≥ 95 % delivered):');
  lines.push('');
  for (const run of runs.filter((r) => r.saturation.length)) {
    const top = run.saturation.at(-1)!;
    const saturated = (top.result.p99Ms > 100 || top.result.delivered < 0.95 * top.result.expected);
    lines.push(`- ${run.server}: ${fmt(saturationThroughput(run), 0)} delivered/s${saturated ? ` (saturated at ${top.writers} × ${top.ratePerWriter} updates/s)` : ' (not saturated at the highest step)'}`);
  }
  // The issue's target, scenario by scenario: CPU per delivered update ≤ half the better peer's, p99 no worse.
  const hubs = runs.filter((r) => isHub(r.server));
  const peers = runs.filter((r) => !isHub(r.server));
  if (hubs.length && peers.length) {
    lines.push('', 'Target (issue 3): server CPU per delivered update ≤ ½ of the better peer, p99 no worse than the better peer, saturation throughput ≥ 2× the peers’.', '');
    lines.push('| hub | scenario | hub CPU-s/1M | better peer CPU-s/1M | ratio (target ≤ 0.5) | hub p99 | best peer p99 |', '|---|---|---:|---:|---:|---:|---:|');
  }
  for (const hub of peers.length ? hubs : []) {
    for (const r of hub.results) {
      const peerResults = peers.map((p) => p.results.find((x) => x.scenario === r.scenario)).filter((x): x is ScenarioResult => x !== undefined);
      if (!peerResults.length) continue;
      const bestCpu = Math.min(...peerResults.map((p) => p.cpuSecondsPerMillion));
      const bestP99 = Math.min(...peerResults.map((p) => p.p99Ms));
      lines.push(`| ${hub.server} | ${r.scenario} | ${fmt(r.cpuSecondsPerMillion)} | ${fmt(bestCpu)} | ${fmt(r.cpuSecondsPerMillion / bestCpu, 2)} | ${fmt(r.p99Ms)} | ${fmt(bestP99)} |`);
    }
  }
  for (const hub of peers.length ? hubs : []) {
    const peerSat = Math.max(...peers.map(saturationThroughput).filter(Number.isFinite));
    lines.push('', `Saturation: ${hub.server} ${fmt(saturationThroughput(hub), 0)} delivered/s vs best peer ${fmt(peerSat, 0)} (ratio ${fmt(saturationThroughput(hub) / peerSat, 2)}, target ≥ 2).`);
  }
  for (const run of runs) {
    if (!run.profile) continue;
    lines.push('', `Where ${run.server}’s CPU goes (node --cpu-prof, samples taken during the measured phases only — writing and drain, as CPU-s/1M; no startup, joins or seeding — ${fmt(run.profile.totalMs / 1000)} s of samples, idle excluded; file \`${run.profileFile}\`):`, '');
    lines.push('| area | ms | share |', '|---|---:|---:|');
    for (const a of run.profile.areas) lines.push(`| ${a.area} | ${fmt(a.ms, 0)} | ${fmt(100 * a.share)} % |`);
    lines.push('', '| hottest functions (self time) | ms | share |', '|---|---:|---:|');
    for (const f of run.profile.functions) lines.push(`| \`${f.name.replace(/\|/g, '\\|')}\` | ${fmt(f.ms, 0)} | ${fmt(100 * f.share)} % |`);
  }
  return lines.join('\n');
}

const DOC = fileURLToPath(new URL('../../docs/BENCHMARKS-HUB.md', import.meta.url));
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

function writeDoc(body: string): void {
  if (!existsSync(DOC)) throw new Error(`${DOC} is missing: it holds the method; the results go between its markers`);
  const text = readFileSync(DOC, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC} lacks the ${START} / ${END} markers`);
  writeFileSync(DOC, `${text.slice(0, from + START.length)}\n${body}\n${text.slice(to)}`);
}

const runs: ServerRun[] = [];
for (const name of serverNames) runs.push(await benchServer(name));
const body = report(runs);
console.log(body);
if (values['write-doc']) writeDoc(body);
process.exit(runs.some((r) => r.error) ? 1 : 0);
