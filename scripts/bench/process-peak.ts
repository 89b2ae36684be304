// Peak memory and CPU time of one process, sampled from /proc while it runs: VmHWM (the kernel's own
// high-water mark of its resident set, so a peak between samples is not missed) and utime+stime.
// The figures are those of the last sample before the process exited. Linux only.
import { readFileSync } from 'node:fs';
import { processCpuMicros } from './process-cpu.ts';

export interface ProcessPeak {
  /** Highest resident set size, MiB. */
  peakRssMiB: number;
  /** CPU time used (user + system), ms. */
  cpuMs: number;
}

export interface ProcessSampler {
  /** The figures so far (the last sample). */
  read(): ProcessPeak;
  stop(): ProcessPeak;
}

const SAMPLE_MS = 20;

function peakRssKiB(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function sampleProcess(pid: number): ProcessSampler {
  let last: ProcessPeak = { peakRssMiB: Number.NaN, cpuMs: Number.NaN };
  const sample = () => {
    const rss = peakRssKiB(pid);
    const cpu = processCpuMicros(pid);
    // Gone: keep what was seen last.
    if (Number.isFinite(rss) && Number.isFinite(cpu)) last = { peakRssMiB: rss / 1024, cpuMs: cpu / 1000 };
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    read: () => (sample(), last),
    stop() {
      clearInterval(timer);
      sample();
      return last;
    },
  };
}
