// Runs `ecourt …` as a real child process (the README's command), collecting its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ECOURT_BIN = fileURLToPath(new URL('../../bin/ecourt.mjs', import.meta.url));

export interface EcourtProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stderr JSON log record whose message matches. */
  waitForLog(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves once stdout matches. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runEcourt(args: string[], env: Record<string, string | undefined>): EcourtProcess {
  const child = spawn(process.execPath, [ECOURT_BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { message: string; resolve: (r: Record<string, unknown>) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const line of chunk.split('\n')) {
      if (!line.startsWith('{')) continue;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line);
      } catch {
        continue;
      }
      for (const waiter of waiters.splice(0)) {
        if (record.message === waiter.message) waiter.resolve(record);
        else waiters.push(waiter);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLog(message, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${message}" log within ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
        const done = (record: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(record);
        };
        waiters.push({ message, resolve: done });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`ecourt exited (${code ?? signal}) before "${message}"; stderr:\n${err}`));
        });
      });
    },
    async waitForStdout(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(out);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`stdout never matched ${pattern}; stdout:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** What a finished `ecourt …` run printed and how it exited. */
export interface EcourtResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ecourt <args>` to its end (a one-shot command such as transcribe, id check, face compare). */
export function runEcourtToEnd(args: string[], env: Record<string, string> = {}): Promise<EcourtResult> {
  const child = spawn(process.execPath, [ECOURT_BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
