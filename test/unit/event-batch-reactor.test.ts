// The shared shape of the journal-following services (hearing spawner, case-file archiver, document
// issuer): one pass at a time, a pass per actor named by a heard event, a start-up pass, a clean stop.
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { batchEvents, startEventBatchReactor, type EventBatchReactor } from '../../actors/runtime/event-batch-reactor.ts';
import { createLogger } from '../../platform/logger.ts';
import { waitFor } from '../support/wait-for.ts';

const bus = createInProcessBus();
let reactor: EventBatchReactor<string> | undefined;
afterEach(async () => {
  await reactor?.stop();
  reactor = undefined;
});

function start(pass: (id: string | undefined, stopped: () => boolean) => Promise<string>, lines: string[] = []) {
  reactor = startEventBatchReactor({
    bus,
    kind: 'case',
    eventTypes: new Set(['CLOSE']),
    log: createLogger({ level: 'error', write: (line) => lines.push(line) }),
    failure: 'test pass failed',
    idle: () => 'idle',
    pass,
  });
  return reactor;
}

describe('event batch reactor', () => {
  it('reads only well-formed batches', () => {
    expect(batchEvents(null)).toEqual([]);
    expect(batchEvents({ events: 'x' })).toEqual([]);
    expect(batchEvents({ events: [null, 3, { id: 'a', type: 'CLOSE' }] })).toEqual([{ id: 'a', type: 'CLOSE' }]);
  });

  it('runs a start-up pass, then one pass per actor named by a heard event type, one at a time', async () => {
    const passes: (string | undefined)[] = [];
    let running = 0;
    let overlapped = false;
    start(async (id) => {
      running++;
      if (running > 1) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      passes.push(id);
      running--;
      return 'done';
    });
    bus.publish(subjects.actorEventBatch('case'), {
      events: [
        { id: 'c1', type: 'CLOSE' },
        { id: 'c1', type: 'CLOSE' },
        { id: 'c2', type: 'ACCEPT' },
        { id: 'c3', type: 'CLOSE' },
      ],
    });
    bus.publish(subjects.actorEventBatch('filing'), { events: [{ id: 'f1', type: 'CLOSE' }] });
    await waitFor(() => passes.length === 3, 'three passes');
    expect(passes).toEqual([undefined, 'c1', 'c3']);
    expect(overlapped).toBe(false);
  });

  it('logs a failed pass with the actor id, and the next pass still runs', async () => {
    const lines: string[] = [];
    const r = start(async (id) => {
      if (id === 'bad') throw new Error('boom');
      return `ok ${id ?? 'all'}`;
    }, lines);
    await expect(r.reconcile('bad')).rejects.toThrow('boom');
    await expect(r.reconcile('good')).resolves.toBe('ok good');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([expect.objectContaining({ message: 'test pass failed', caseId: 'bad' })]);
  });

  it('stop() waits for the running pass, tells it to end, and later passes resolve idle', async () => {
    let sawStop = false;
    let slowStarted = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = start(async (id, stopped) => {
      if (id === 'slow') {
        slowStarted = true;
        await gate;
        sawStop = stopped();
      }
      return 'ran';
    });
    const slow = r.reconcile('slow');
    const queued = r.reconcile('after');
    await waitFor(() => slowStarted, 'the slow pass to start');
    const stopping = r.stop();
    release();
    await stopping;
    expect(sawStop).toBe(true);
    await expect(slow).resolves.toBe('ran');
    await expect(queued).resolves.toBe('idle');
    await expect(r.reconcile('late')).resolves.toBe('idle');
  });
});
