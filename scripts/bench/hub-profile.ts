// Summarises a V8 .cpuprofile of the hub process (node --cpu-prof): self time by package / source
// area and the hottest functions, so the benchmark report can say where the hub's CPU goes.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
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

export function summariseProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node] as const));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
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
