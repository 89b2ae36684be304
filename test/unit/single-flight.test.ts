// singleFlight (web-components/src/single-flight.ts), the elements' one-fetch-at-a-time reload: calls
// during a run never overlap it, they make it run exactly once more, and every caller's promise
// settles only when a run that started after its call has finished.
import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../web-components/src/single-flight.ts';

describe('singleFlight', () => {
  it('runs once per call when calls do not overlap', async () => {
    let runs = 0;
    const reload = singleFlight(async () => {
      runs += 1;
    });
    await reload();
    await reload();
    expect(runs).toBe(2);
  });

  it('folds calls made during a run into one more run, never two at once', async () => {
    let runs = 0;
    let active = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const reload = singleFlight(async () => {
      runs += 1;
      active += 1;
      most = Math.max(most, active);
      await new Promise<void>((resolve) => gates.push(resolve));
      active -= 1;
    });
    const first = reload();
    const second = reload();
    const third = reload();
    expect(second).toBe(first);
    expect(third).toBe(first);
    gates.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(runs).toBe(2);
    gates.shift()!();
    await first;
    expect(runs).toBe(2);
    expect(most).toBe(1);
    // Idle again: the next call starts a fresh run.
    const fourth = reload();
    expect(fourth).not.toBe(first);
    gates.shift()!();
    await fourth;
    expect(runs).toBe(3);
  });

  it('a failed run settles the callers with its error and leaves the next call free to run', async () => {
    let fail = true;
    const reload = singleFlight(async () => {
      if (fail) throw new Error('network down');
    });
    await expect(reload()).rejects.toThrow('network down');
    fail = false;
    await expect(reload()).resolves.toBeUndefined();
  });
});
