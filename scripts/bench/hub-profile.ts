// Summarises a V8 .cpuprofile of the hub process (node --cpu-prof): self time by package / source
// area and the hottest functions, so the benchmark report can say where the hub's CPU goes.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on CLOCK_MONOTONIC, the clock of process.hrtime in any process of this machine. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of CLOCK_MONOTONIC microseconds (`process.hrtime.bigint() / 1000n`) to keep samples of. */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Where a frame's code lives: an npm package, a project folder, node internals or V8 (GC, idle…). */
export function areaOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`;
  // The only WebAssembly module in the hub process is PGlite's Postgres build.
  if (url.startsWith('wasm://')) return 'wasm (PGlite Postgres)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const project = /\/(hub\/[^/]+|hub|actors\/[^/]+|platform|storage\/?[^/]*|cli|models)\//.exec(url);
  return project ? project[1]! : url.replace(/^.*\//, '');
}

export interface ProfileSummary {
  totalMs: number;
  areas: { area: string; ms: number; share: number }[];
  functions: { name: string; ms: number; share: number }[];
}

/** Self time by area and function; with `windows`, only samples taken inside one of them (e.g. the scenarios, not startup). */
export function summariseProfile(path: string, top = 15, windows?: ProfileWindow[]): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node] as const));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (windows && !windows.some((w) => at >= w.fromUs && at <= w.toUs)) return;
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    totalMs += ms;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.replace(/^.*\/(node_modules\/)?/, '')}:${frame.lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const ranked = (map: Map<string, number>) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms, share: ms / totalMs }));
  return {
    totalMs,
    areas: ranked(areas).map(({ name, ms, share }) => ({ area: name, ms, share })),
    functions: ranked(functions),
  };
}
