import { afterEach, describe, expect, it, vi } from 'vitest';
import { JournalWriter } from '../../actors/runtime/journal-writer.ts';
import { JournalConflictError, type JournalRecord } from '../../actors/runtime/types.ts';
import { MemoryJournal } from '../support/memory-journal.ts';

const record = (id: string, seq = 1): JournalRecord => ({ kind: 'case', id, seq, event: { type: 'X' }, state: 's', context: {}, at: '2026-01-01T00:00:00.000Z' });

describe('JournalWriter (group commit)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits up to maxDelayMs, then commits everything queued in one batch', async () => {
    vi.useFakeTimers();
    const journal = new MemoryJournal();
    const writer = new JournalWriter(journal, { maxBatch: 100, maxDelayMs: 5 });
    const done = ['a', 'b', 'c'].map((id) => writer.append(record(id)));
    await vi.advanceTimersByTimeAsync(4);
    expect(journal.commitSizes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(done);
    expect(journal.commitSizes).toEqual([3]);
    expect(writer.stats()).toEqual({ pendingRecords: 0, commits: 1, records: 3, commitsInFlight: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('commits at once when maxBatch records wait, in batches of at most maxBatch', async () => {
    vi.useFakeTimers();
    const journal = new MemoryJournal();
    const writer = new JournalWriter(journal, { maxBatch: 4, maxDelayMs: 10_000 });
    const done = Array.from({ length: 9 }, (_, i) => writer.append(record(`r${i}`)));
    await Promise.all(done.slice(0, 8));
    expect(journal.commitSizes).toEqual([4, 4]);
    await writer.close();
    await done[8];
    expect(journal.commitSizes).toEqual([4, 4, 1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('while no commit is in flight, starts one as soon as eagerBatch records wait; the rest of the burst goes next', async () => {
    vi.useFakeTimers();
    const journal = new MemoryJournal();
    const writer = new JournalWriter(journal, { maxBatch: 100, maxDelayMs: 5, eagerBatch: 3, maxConcurrentCommits: 2 });
    const release = journal.hold();
    const burst = Array.from({ length: 5 }, (_, i) => writer.append(record(`r${i}`)));
    // No timer needed for the first three: the database may start on them at once.
    expect(writer.stats()).toMatchObject({ commitsInFlight: 1, pendingRecords: 2 });
    // With a commit in flight the rest waits for the timer (or a full batch), as before.
    await vi.advanceTimersByTimeAsync(4);
    expect(writer.stats()).toMatchObject({ commitsInFlight: 1, pendingRecords: 2 });
    await vi.advanceTimersByTimeAsync(1);
    expect(writer.stats()).toMatchObject({ commitsInFlight: 2, pendingRecords: 0 });
    release();
    await Promise.all(burst);
    expect(journal.commitSizes).toEqual([3, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with one commit slot, runs one commit at a time; records arriving meanwhile form the next batch', async () => {
    const journal = new MemoryJournal();
    const writer = new JournalWriter(journal, { maxBatch: 100, maxDelayMs: 1, maxConcurrentCommits: 1 });
    const release = journal.hold();
    const first = [writer.append(record('a')), writer.append(record('b'))];
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = [writer.append(record('c')), writer.append(record('d')), writer.append(record('e'))];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(journal.commitSizes).toEqual([]);
    release();
    await Promise.all([...first, ...second]);
    expect(journal.commitSizes).toEqual([2, 3]);
  });

  it('with two commit slots, a second batch goes while the first is in flight; a third gathers until a slot frees', async () => {
    const journal = new MemoryJournal();
    const writer = new JournalWriter(journal, { maxBatch: 100, maxDelayMs: 1, maxConcurrentCommits: 2 });
    const release = journal.hold();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    const first = [writer.append(record('a'))];
    await pause();
    const second = [writer.append(record('b')), writer.append(record('c'))];
    await pause();
    expect(writer.stats()).toMatchObject({ commitsInFlight: 2, pendingRecords: 0 });
    const third = [writer.append(record('d')), writer.append(record('e')), writer.append(record('f'))];
    await pause();
    expect(writer.stats()).toMatchObject({ commitsInFlight: 2, pendingRecords: 3 });
    release();
    await Promise.all([...first, ...second, ...third]);
    expect(journal.commitSizes).toEqual([1, 2, 3]);
    expect(writer.stats()).toMatchObject({ commitsInFlight: 0, pendingRecords: 0, commits: 3, records: 6 });
  });

  it('a failed batch rejects its waiters; a conflict rejects only the conflicting actor and commits the rest', async () => {
    const journal = new MemoryJournal();
    const writer = new JournalWriter(journal, { maxBatch: 100, maxDelayMs: 1 });
    journal.failNextCommit(() => new Error('disk full'));
    const failed = await Promise.allSettled([writer.append(record('a')), writer.append(record('b'))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(journal.totalRecords).toBe(0);

    journal.injectForeign(record('x', 1));
    const mixed = await Promise.allSettled([writer.append(record('a')), writer.append(record('x', 1)), writer.append(record('b'))]);
    expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((mixed[1] as PromiseRejectedResult).reason).toBeInstanceOf(JournalConflictError);
    expect(journal.totalRecords).toBe(3);
    await writer.close();
  });
});
