// CPU time of the benchmark's other processes, read from /proc: nats-server, the Postgres backends
// serving the bench database and Postgres' own background processes (WAL writer, checkpointer…).
// Linux only; elsewhere every figure is NaN and the bench prints '-'.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import pg from 'pg';

/** Ticks per second of /proc/<pid>/stat's utime and stime. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process in µs, or NaN when it is gone or unreadable. */
export function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Pids whose command name is exactly `name` (like pgrep -x, read-only). */
function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

export interface OtherProcessesCpu {
  /** nats-server (the whole server: other users of it count too). */
  natsMicros: number;
  /** The backends connected to the bench database (client backends, by pg_stat_activity). */
  postgresBackendMicros: number;
  /** Postgres' background processes (WAL writer, checkpointer, background writer: shared with other databases). */
  postgresBackgroundMicros: number;
}

interface Sample {
  nats: Map<number, number>;
  backends: Map<number, number>;
  background: Map<number, number>;
}

/**
 * Samples before and after a run. A backend that appears during the run counts from its start
 * (a connection's setup is a few ms); one that exits during the run is lost (the pools keep theirs).
 */
export async function createCpuMeter(adminUrl: string, databaseName: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', (error) => console.error('bench cpu meter connection:', error.message));
  await admin.connect();
  const sample = async (): Promise<Sample> => {
    const { rows } = await admin.query<{ pid: number; datname: string | null; backend_type: string }>(
      'select pid, datname, backend_type from pg_stat_activity where pid <> pg_backend_pid()',
    );
    const backends = new Map<number, number>();
    const background = new Map<number, number>();
    for (const row of rows) {
      if (row.datname === databaseName && row.backend_type === 'client backend') backends.set(row.pid, processCpuMicros(row.pid));
      else if (row.datname === null && row.backend_type !== 'client backend') background.set(row.pid, processCpuMicros(row.pid));
    }
    const nats = new Map(pidsNamed('nats-server').map((pid) => [pid, processCpuMicros(pid)] as const));
    return { nats, backends, background };
  };
  const delta = (before: Map<number, number>, after: Map<number, number>) => {
    let total = 0;
    for (const [pid, micros] of after) {
      if (Number.isNaN(micros)) continue;
      total += micros - (before.get(pid) ?? 0);
    }
    return total;
  };
  return {
    async start(): Promise<() => Promise<OtherProcessesCpu>> {
      const before = await sample();
      return async () => {
        const after = await sample();
        return {
          natsMicros: after.nats.size ? delta(before.nats, after.nats) : Number.NaN,
          postgresBackendMicros: delta(before.backends, after.backends),
          postgresBackgroundMicros: delta(before.background, after.background),
        };
      };
    },
    close: () => admin.end(),
  };
}
