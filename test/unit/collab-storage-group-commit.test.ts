// The collab store's group commit without a database: batching, order per key, a failed batch
// retried key by key, close semantics and no timer left behind.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit, GroupCommitClosedError, GroupCommitKeyFailedError } from '../../storage/collab/group-commit.ts';

interface Item {
  doc: string;
  n: number;
}

function recorder(fail: (items: readonly Item[]) => boolean = () => false) {
  const batches: Item[][] = [];
  const commit = async (items: readonly Item[]) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (fail(items)) throw new Error('refused');
    batches.push([...items]);
  };
  return { batches, commit };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('collab group commit', () => {
  it('gathers items queued while a commit runs into the next commit, keeping each key in order', async () => {
    const { batches, commit } = recorder();
    const group = new GroupCommit<Item>({ commit, keyOf: (i) => i.doc, maxDelayMs: 0 });
    const all: Promise<void>[] = [];
    for (let n = 0; n < 300; n++) all.push(group.add({ doc: `d${n % 7}`, n }));
    await Promise.all(all);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.length).toBeLessThanOrEqual(3);
    const committed = batches.flat();
    expect(committed.map((i) => i.n)).toEqual(Array.from({ length: 300 }, (_, n) => n));
    expect(group.stats()).toMatchObject({ pending: 0, committed: 300, commits: batches.length, committing: false });
    await group.close();
  });

  it('commits one window after the oldest waiting item, also after a running commit, so steady load costs one commit per window', async () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const group = new GroupCommit<Item>({ commit: async (items) => void batches.push(items.map((i) => i.n)), keyOf: (i) => i.doc, maxDelayMs: 1000 });
    const all: Promise<void>[] = [];
    // An item every 100 ms for 3 s: three windows' worth.
    for (let n = 0; n < 30; n++) {
      all.push(group.add({ doc: 'a', n }));
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(batches.length).toBeLessThanOrEqual(4);
    expect(batches.flat()).toEqual(Array.from({ length: 30 }, (_, n) => n));
    await group.close();
  });

  it('commitNow skips the window for what is queued (someone waits on a flush)', async () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const group = new GroupCommit<Item>({ commit: async (items) => void batches.push(items.map((i) => i.n)), keyOf: (i) => i.doc, maxDelayMs: 60_000 });
    const first = group.add({ doc: 'a', n: 1 });
    await vi.advanceTimersByTimeAsync(10);
    expect(batches).toEqual([]);
    group.commitNow();
    await first;
    expect(batches).toEqual([[1]]);
    // Later items wait for their window again.
    const second = group.add({ doc: 'a', n: 2 });
    await vi.advanceTimersByTimeAsync(10);
    expect(batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    await second;
    expect(batches).toEqual([[1], [2]]);
    await group.close();
  });

  it('splits batches at maxBatch', async () => {
    const { batches, commit } = recorder();
    const group = new GroupCommit<Item>({ commit, keyOf: (i) => i.doc, maxBatch: 10, maxDelayMs: 0 });
    await Promise.all(Array.from({ length: 35 }, (_, n) => group.add({ doc: 'a', n })));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 5]);
    await group.close();
  });

  it('when a batch fails, commits the other keys on their own and fails only the refused key', async () => {
    const { batches, commit } = recorder((items) => items.some((i) => i.doc === 'bad'));
    const group = new GroupCommit<Item>({ commit, keyOf: (i) => i.doc, maxDelayMs: 0 });
    const results = await Promise.allSettled([
      group.add({ doc: 'a', n: 1 }),
      group.add({ doc: 'bad', n: 2 }),
      group.add({ doc: 'b', n: 3 }),
      group.add({ doc: 'a', n: 4 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(batches).toEqual([
      [
        { doc: 'a', n: 1 },
        { doc: 'a', n: 4 },
      ],
      [{ doc: 'b', n: 3 }],
    ]);
    await group.close();
  });

  it('refuses later items of a failed key without writing them, until the key is reopened', async () => {
    let refuse = true;
    const { batches, commit } = recorder((items) => refuse && items.some((i) => i.doc === 'bad'));
    const group = new GroupCommit<Item>({ commit, keyOf: (i) => i.doc, maxDelayMs: 0 });
    await expect(group.add({ doc: 'bad', n: 1 })).rejects.toThrow('refused');
    refuse = false;
    const later = group.add({ doc: 'bad', n: 2 });
    await expect(later).rejects.toBeInstanceOf(GroupCommitKeyFailedError);
    await expect(later).rejects.toMatchObject({ key: 'bad', cause: new Error('refused') });
    await group.add({ doc: 'good', n: 3 });
    expect(batches.flat().map((i) => i.n)).toEqual([3]);
    group.reopen('bad');
    await group.add({ doc: 'bad', n: 4 });
    expect(batches.flat().map((i) => i.n)).toEqual([3, 4]);
    await group.close();
  });

  it('fails every item of a one-key batch with the commit error', async () => {
    const { commit } = recorder(() => true);
    const group = new GroupCommit<Item>({ commit, keyOf: (i) => i.doc, maxDelayMs: 0 });
    const results = await Promise.allSettled([group.add({ doc: 'a', n: 1 }), group.add({ doc: 'a', n: 2 })]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual(['refused', 'refused']);
    await group.close();
  });

  it('waits at most maxDelayMs while idle, and close commits the queue, refuses more and leaves no timer', async () => {
    vi.useFakeTimers();
    const committed: number[] = [];
    const group = new GroupCommit<Item>({
      commit: async (items) => {
        committed.push(...items.map((i) => i.n));
      },
      keyOf: (i) => i.doc,
      maxDelayMs: 50,
    });
    const first = group.add({ doc: 'a', n: 1 });
    await vi.advanceTimersByTimeAsync(49);
    expect(committed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await first;
    expect(committed).toEqual([1]);

    const queued = group.add({ doc: 'a', n: 2 });
    expect(vi.getTimerCount()).toBe(1);
    await group.close();
    await queued;
    expect(committed).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0);
    await expect(group.add({ doc: 'a', n: 3 })).rejects.toBeInstanceOf(GroupCommitClosedError);
  });
});
