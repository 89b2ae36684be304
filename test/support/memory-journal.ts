// An in-memory ActorJournal for unit tests only: same contract as the SQL journal (atomic
// batches, JournalConflictError on a duplicate (kind,id,seq)), plus levers to hold or fail
// commits so tests can watch what the host does meanwhile.
import {
  actorAddress,
  JournalConflictError,
  type ActorJournal,
  type ActorRef,
  type ActorSnapshotRecord,
  type JournalRecord,
  type LoadedJournalRecord,
} from '../../actors/runtime/types.ts';

export class MemoryJournal implements ActorJournal {
  readonly records = new Map<string, JournalRecord[]>();
  readonly snapshots = new Map<string, ActorSnapshotRecord>();
  /** Sizes of every commit() call that succeeded, in order. */
  readonly commitSizes: number[] = [];
  loads = 0;
  private gate: Promise<void> | null = null;
  private failures: Array<() => Error> = [];

  /** Holds every commit until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => {
      this.gate = null;
      release();
    };
  }

  /** The next commit() throws the error made by `make` (and writes nothing). */
  failNextCommit(make: () => Error): void {
    this.failures.push(make);
  }

  async commit(records: JournalRecord[]): Promise<void> {
    if (this.gate) await this.gate;
    const failure = this.failures.shift();
    if (failure) throw failure();
    // All or nothing, as one SQL transaction would be.
    for (const record of records) {
      const existing = this.records.get(actorAddress(record)) ?? [];
      if (existing.some((stored) => stored.seq === record.seq)) throw new JournalConflictError({ kind: record.kind, id: record.id }, record.seq);
    }
    for (const record of records) {
      const address = actorAddress(record);
      const existing = this.records.get(address);
      const copy = structuredClone(record);
      if (existing) existing.push(copy);
      else this.records.set(address, [copy]);
    }
    this.commitSizes.push(records.length);
  }

  async load(ref: ActorRef): Promise<{ snapshot: ActorSnapshotRecord | null; records: LoadedJournalRecord[] }> {
    this.loads++;
    const snapshot = this.snapshots.get(actorAddress(ref)) ?? null;
    const after = snapshot?.seq ?? 0;
    const records = (this.records.get(actorAddress(ref)) ?? []).filter((record) => record.seq > after).sort((a, b) => a.seq - b.seq);
    return {
      snapshot: snapshot ? structuredClone(snapshot) : null,
      records: structuredClone(records.map(({ context: _context, ...loaded }) => loaded)),
    };
  }

  async saveSnapshot(ref: ActorRef, snapshot: ActorSnapshotRecord): Promise<void> {
    this.snapshots.set(actorAddress(ref), JSON.parse(JSON.stringify(snapshot)) as ActorSnapshotRecord);
  }

  /** Writes a record as another node would have (to provoke a conflict). */
  injectForeign(record: JournalRecord): void {
    const address = actorAddress(record);
    const existing = this.records.get(address) ?? [];
    existing.push(structuredClone(record));
    this.records.set(address, existing);
  }

  recordsOf(ref: ActorRef): JournalRecord[] {
    return this.records.get(actorAddress(ref)) ?? [];
  }

  get totalRecords(): number {
    let total = 0;
    for (const list of this.records.values()) total += list.length;
    return total;
  }
}
