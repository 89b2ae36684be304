// Hosts the live actors of one node: loads an actor from its journal on its first command,
// runs each actor's commands one at a time, journals every accepted event through the group
// commit and answers only once the event is durable; serves shards over the bus, snapshots,
// and passivates idle actors. An actor's state is its machine snapshot, advanced by the kind's
// MachineRunner (no live XState actor per instance). Commands arrive over the bus one by one or in
// batches (one reply per command). Each group commit's domain events go out as ONE durable message
// per kind (stored by JetStream, heard live by subscribers), its inspection events as one message per kind.
// (The domain events must not be lost: their batch waits for the stream's ack, failures are logged;
// the journal stays the source of truth.)
import type { AnyMachineSnapshot, StateValue } from 'xstate';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { silentLogger, type Logger } from '../../platform/logger.ts';
import type { Bus, BusSubscription } from '../bus/bus.ts';
import { subjects } from '../bus/subjects.ts';
import { CommandRefusedError, type ActorView, type AnyActorBehaviour } from './actor-behaviour.ts';
import {
  ACTOR_ID_PATTERN,
  COMMAND_BATCH_VERSION,
  readBatchEntry,
  readBatchEntryKind,
  readCommandBatch,
  readCommandEnvelope,
  type CommandBatchReply,
} from './command-envelope.ts';
import { JournalWriter, type GroupCommitOptions } from './journal-writer.ts';
import { MachineRunner } from './machine-runner.ts';
import { shardOf } from './shards.ts';
import {
  actorAddress,
  JournalConflictError,
  type ActorJournal,
  type ActorRef,
  type CommandReply,
  type DomainEvent,
  type DomainEventBatch,
  type InspectionBatch,
  type InspectionEvent,
  type JournalRecord,
} from './types.ts';

export interface ActorHostOptions {
  nodeId: string;
  journal: ActorJournal;
  bus: Bus;
  behaviours: readonly AnyActorBehaviour[];
  logger?: Logger;
  shardCount: number;
  /** Save a snapshot after this many events of one actor. */
  snapshotEvery?: number;
  /** Stop an actor that received no command for this long. */
  idleMs?: number;
  groupCommit?: GroupCommitOptions;
}

/** Most events per durable batch message: keeps a message well under NATS' 1 MB payload limit. */
const MAX_EVENTS_PER_BATCH = 256;

export interface ActorHostStats {
  liveActors: number;
  pendingRecords: number;
  commits: number;
  records: number;
}

type Command = { type: string } & Record<string, unknown>;

interface Mail {
  command: Command;
  resolve: (reply: CommandReply) => void;
}

/** One actor's place in the host, from its first command until it is passivated. */
interface LiveActor {
  ref: ActorRef;
  address: string;
  shard: number;
  behaviour: AnyActorBehaviour;
  runner: MachineRunner;
  /** The machine's current snapshot; null until loaded, and again after it was dropped. */
  snapshot: AnyMachineSnapshot | null;
  /** Last journalled sequence number (0: never existed). */
  seq: number;
  snapshotSeq: number;
  mailbox: Mail[];
  /** The loop working through the mailbox, while there is one. */
  running: Promise<void> | null;
  lastActive: number;
  /**
   * Never loaded by this host: a creation command (FILE) may start it blank without reading the
   * journal, since ids of new actors are fresh. If the id did exist, the commit of #1 conflicts
   * and the command is run again on the loaded actor. (Sound as long as journals keep record #1.)
   */
  unseen: boolean;
}

/** The state value as one name: 'heard', 'review.waiting', parallel regions joined by ','. */
export function flatStateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, inner]) => (inner === undefined || (typeof inner === 'object' && Object.keys(inner).length === 0) ? key : `${key}.${flatStateName(inner)}`))
    .join(',');
}

const refusal = (code: ErrorCode, message: string, details?: unknown): CommandReply => ({
  ok: false,
  error: { code, message, ...(details === undefined ? {} : { details }) },
});

/** An actor could not be rebuilt or its machine failed: it is dropped and rehydrated on its next command. */
class ActorFailedError extends Error {
  constructor(ref: ActorRef, reason: string, options?: { cause?: unknown }) {
    super(`${actorAddress(ref)} failed: ${reason}`, options);
    this.name = 'ActorFailedError';
  }
}

export class ActorHost {
  readonly nodeId: string;
  private readonly journal: ActorJournal;
  private readonly bus: Bus;
  private readonly behaviours = new Map<string, AnyActorBehaviour>();
  private readonly runners = new Map<string, MachineRunner>();
  private readonly log: Logger;
  private readonly shardCount: number;
  private readonly snapshotEvery: number;
  private readonly idleMs: number;
  private readonly writer: JournalWriter;
  private readonly live = new Map<string, LiveActor>();
  private readonly served = new Map<string, BusSubscription>();
  /** This node's own command subject (batches for any shard it serves), open while it serves any. */
  private nodeSubscription: BusSubscription | null = null;
  private readonly pendingSnapshots = new Set<Promise<void>>();
  private sweepTimer: ReturnType<typeof setInterval> | null = null;
  private stopping = false;

  constructor(options: ActorHostOptions) {
    this.nodeId = options.nodeId;
    this.journal = options.journal;
    this.bus = options.bus;
    for (const behaviour of options.behaviours) {
      this.behaviours.set(behaviour.kind, behaviour);
      this.runners.set(behaviour.kind, new MachineRunner(behaviour.machine, behaviour.input({ kind: behaviour.kind, id: 'scope' })));
    }
    this.log = (options.logger ?? silentLogger).child({ component: 'actor-host', node: options.nodeId });
    if (!Number.isInteger(options.shardCount) || options.shardCount < 1) throw new RangeError('shardCount must be a positive integer');
    this.shardCount = options.shardCount;
    this.snapshotEvery = Math.max(1, options.snapshotEvery ?? 100);
    this.idleMs = Math.max(1, options.idleMs ?? 60_000);
    this.writer = new JournalWriter(this.journal, options.groupCommit, (records) => this.publishCommitted(records));
  }

  /**
   * Runs one command on an actor of this node; resolves once its event is durable (or it was refused).
   * The reply's context is the actor's own (immutable, replaced on every event): read it, never change it.
   */
  handle(ref: ActorRef, rawCommand: unknown): Promise<CommandReply> {
    if (this.stopping) return Promise.resolve(refusal('ACTOR_UNAVAILABLE', 'this node is shutting down'));
    const behaviour = this.behaviours.get(ref.kind);
    if (!behaviour) return Promise.resolve(refusal('NOT_FOUND', `no actor kind ${JSON.stringify(ref.kind)}`));
    if (!ACTOR_ID_PATTERN.test(ref.id)) return Promise.resolve(refusal('VALIDATION_FAILED', 'not a valid actor id'));
    const parsed = behaviour.commandSchema.safeParse(rawCommand);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
      return Promise.resolve(refusal('VALIDATION_FAILED', 'the command is not valid', details));
    }
    const entry = this.entryFor(ref, behaviour);
    return new Promise<CommandReply>((resolve) => {
      entry.mailbox.push({ command: parsed.data as Command, resolve });
      if (!entry.running) entry.running = this.runMailbox(entry);
    });
  }

  /** Answers commands for one shard of a kind arriving over the bus. */
  serveShard(kind: string, shard: number): void {
    if (this.stopping) throw new AppError('ACTOR_UNAVAILABLE', 'this node is shutting down');
    if (!this.behaviours.has(kind)) throw new RangeError(`no actor kind ${JSON.stringify(kind)}`);
    if (!Number.isInteger(shard) || shard < 0 || shard >= this.shardCount) throw new RangeError(`no shard ${shard}`);
    const key = `${kind}:${shard}`;
    if (this.served.has(key)) return;
    const subscription = this.bus.serve(
      subjects.actorCommand(kind, shard),
      (payload) => this.handleFromBus(kind, shard, payload),
      { queue: 'ecourt-actors' },
    );
    this.served.set(key, subscription);
    // A queue group: should two processes ever share a node id, a batch still goes to one of them only.
    this.nodeSubscription ??= this.bus.serve(subjects.actorNodeCommand(this.nodeId), (payload) => this.handleNodeBatch(payload), { queue: 'ecourt-node' });
  }

  /** Stops serving a shard and passivates its actors once their commands are done (the lease may then move). */
  async releaseShard(kind: string, shard: number): Promise<void> {
    const key = `${kind}:${shard}`;
    this.served.get(key)?.unsubscribe();
    this.served.delete(key);
    const leaving = [...this.live.values()].filter((entry) => entry.ref.kind === kind && entry.shard === shard);
    await Promise.all(leaving.map((entry) => this.passivateWhenIdle(entry, () => !this.served.has(key))));
  }

  /** Embedded mode: this node serves every shard of every kind. */
  serveAllShards(): void {
    for (const kind of this.behaviours.keys()) {
      for (let shard = 0; shard < this.shardCount; shard++) this.serveShard(kind, shard);
    }
  }

  isServing(kind: string, shard: number): boolean {
    return this.served.has(`${kind}:${shard}`);
  }

  stats(): ActorHostStats {
    const { pendingRecords, commits, records } = this.writer.stats();
    return { liveActors: this.live.size, pendingRecords, commits, records };
  }

  /** Commits everything queued so far (e.g. before answering a health probe on shutdown). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Shutdown: stop taking commands, finish and commit the ones in flight, stop every actor and timer. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const subscription of this.served.values()) subscription.unsubscribe();
    this.served.clear();
    this.nodeSubscription?.unsubscribe();
    this.nodeSubscription = null;
    // From here the writer commits without a timer, so mailboxes drain even under fake timers.
    await this.writer.close();
    while (true) {
      const running = [...this.live.values()].map((entry) => entry.running).filter((p): p is Promise<void> => p !== null);
      if (running.length === 0) break;
      await Promise.all(running);
    }
    await this.writer.flush();
    while (this.pendingSnapshots.size > 0) await Promise.all([...this.pendingSnapshots]);
    for (const entry of this.live.values()) entry.snapshot = null;
    this.live.clear();
    this.stopSweep();
  }

  /** A batch of commands (one reply per command, in order) or a single command envelope. */
  private async handleFromBus(kind: string, shard: number, payload: unknown): Promise<CommandReply | CommandBatchReply> {
    const batch = readCommandBatch(payload);
    if (batch) {
      const replies = await Promise.all(batch.commands.map((entry) => this.handleAddressed(kind, shard, readBatchEntry(entry))));
      return { v: COMMAND_BATCH_VERSION, replies };
    }
    return this.handleAddressed(kind, shard, readCommandEnvelope(payload));
  }

  /**
   * A batch sent to this node's subject: each entry names its kind, and is answered like one sent
   * to its shard's subject — ACTOR_UNAVAILABLE (the client retries on the shard subject) when this
   * node does not serve that shard now, e.g. the client's view of the leases is stale.
   */
  private async handleNodeBatch(payload: unknown): Promise<CommandBatchReply | CommandReply> {
    const batch = readCommandBatch(payload);
    if (!batch) return refusal('PROTOCOL_ERROR', 'not a command batch');
    const replies = await Promise.all(
      batch.commands.map((entry) => {
        const kind = readBatchEntryKind(entry);
        const envelope = readBatchEntry(entry);
        if (kind === null || envelope === null) return refusal('PROTOCOL_ERROR', 'not a command envelope');
        return this.handleAddressed(kind, shardOf(envelope.id, this.shardCount), envelope);
      }),
    );
    return { v: COMMAND_BATCH_VERSION, replies };
  }

  private async handleAddressed(kind: string, shard: number, envelope: { id: string; command: unknown } | null): Promise<CommandReply> {
    if (!envelope) return refusal('PROTOCOL_ERROR', 'not a command envelope');
    const { id, command } = envelope;
    // A sender with another shard count, or a shard released a moment ago: not ours to answer.
    if (shardOf(id, this.shardCount) !== shard || !this.served.has(`${kind}:${shard}`)) {
      return refusal('ACTOR_UNAVAILABLE', 'this node does not serve that actor now');
    }
    const reply = await this.handle({ kind, id }, command);
    // Over the bus the reply carries no context: callers read the summary (and the read model).
    return reply.ok ? { ok: true, seq: reply.seq, state: reply.state, summary: reply.summary } : reply;
  }

  private entryFor(ref: ActorRef, behaviour: AnyActorBehaviour): LiveActor {
    const address = actorAddress(ref);
    let entry = this.live.get(address);
    if (!entry) {
      entry = {
        ref: { kind: ref.kind, id: ref.id },
        address,
        shard: shardOf(ref.id, this.shardCount),
        behaviour,
        runner: this.runners.get(ref.kind)!,
        snapshot: null,
        seq: 0,
        snapshotSeq: 0,
        mailbox: [],
        running: null,
        lastActive: Date.now(),
        unseen: true,
      };
      this.live.set(address, entry);
      this.startSweep();
    }
    return entry;
  }

  private async runMailbox(entry: LiveActor): Promise<void> {
    try {
      for (let mail = entry.mailbox.shift(); mail; mail = entry.mailbox.shift()) {
        let reply: CommandReply;
        try {
          reply = await this.process(entry, mail.command);
        } catch (error) {
          this.log.error('command failed', { actor: entry.address, command: mail.command.type, error });
          this.drop(entry);
          reply = refusal('INTERNAL', 'the command could not be processed');
        }
        mail.resolve(reply);
      }
    } finally {
      entry.running = null;
      entry.lastActive = Date.now();
      // An id that never existed (e.g. a NOT_FOUND probe) must not occupy memory.
      if (entry.seq === 0 && entry.mailbox.length === 0 && this.live.get(entry.address) === entry) this.evict(entry);
    }
  }

  private async process(entry: LiveActor, command: Command): Promise<CommandReply> {
    const { behaviour, ref, runner } = entry;
    const optimistic = !entry.snapshot && entry.unseen && behaviour.creationCommands.includes(command.type);
    if (optimistic) {
      entry.snapshot = runner.initial(behaviour.input(ref));
      entry.seq = 0;
      entry.snapshotSeq = 0;
    } else if (!entry.snapshot) {
      try {
        await this.load(entry);
      } catch (error) {
        this.log.error('actor load failed', { actor: entry.address, error });
        return refusal('INTERNAL', `${behaviour.notFoundName} could not be loaded`);
      }
    }
    const before = entry.snapshot!;
    if (entry.seq === 0 && !behaviour.creationCommands.includes(command.type)) {
      return refusal('NOT_FOUND', `${behaviour.notFoundName} not found`);
    }
    const state = flatStateName(before.value);
    const view: ActorView = {
      state,
      context: before.context,
      seq: entry.seq,
      can: (event) => before.status === 'active' && before.can(event),
    };
    const now = new Date();
    let event: Command;
    try {
      event = (await behaviour.toEvent(command, view, { ref, now })) as Command;
    } catch (error) {
      if (error instanceof CommandRefusedError || error instanceof AppError) {
        const details = error.details;
        return refusal(error.code, error.message, details);
      }
      throw error;
    }
    // The actor may have been dropped while toEvent awaited; never apply to a stale one.
    if (entry.snapshot !== before) throw new ActorFailedError(ref, 'the actor changed while preparing the event');
    if (before.status !== 'active') {
      return refusal(behaviour.refusalCode, `${command.type} is not allowed in state ${state}`, { state, command: command.type });
    }
    let after: AnyMachineSnapshot;
    try {
      after = runner.next(before, event);
    } catch (error) {
      throw new ActorFailedError(ref, `the machine failed on ${event.type}`, { cause: error });
    }
    // An event the state does not take leaves the very same snapshot (guards and all), so only an
    // unchanged one needs asking: a separate can() first would select the transitions twice.
    if (after === before && !before.can(event)) {
      return refusal(behaviour.refusalCode, `${command.type} is not allowed in state ${state}`, { state, command: command.type });
    }
    // Held in memory before the commit, as the actor's state while its record is on the way.
    entry.snapshot = after;
    const record: JournalRecord = {
      kind: ref.kind,
      id: ref.id,
      seq: entry.seq + 1,
      event,
      state: flatStateName(after.value),
      context: after.context as Record<string, unknown>,
      at: now.toISOString(),
    };
    try {
      await this.writer.append(record);
    } catch (error) {
      // The event is applied in memory but not stored: this actor's memory is now wrong.
      this.drop(entry);
      entry.unseen = false;
      if (error instanceof JournalConflictError && optimistic && record.seq === 1) {
        // The id existed after all: answer from the real actor (usually "not allowed in this state").
        return this.process(entry, command);
      }
      if (error instanceof JournalConflictError) {
        this.log.warn('journal conflict; actor dropped', { actor: entry.address, seq: record.seq });
        return refusal('CONFLICT', `${behaviour.notFoundName} was changed elsewhere; try again`);
      }
      this.log.error('journal commit failed; actor dropped', { actor: entry.address, seq: record.seq, error });
      return refusal('INTERNAL', 'the event could not be stored');
    }
    entry.seq = record.seq;
    entry.unseen = false;
    this.afterCommit(entry, record);
    return { ok: true, seq: record.seq, state: record.state, summary: behaviour.summary(record.context), context: record.context };
  }

  /** Rebuilds an actor from its latest snapshot and the journal records after it. */
  private async load(entry: LiveActor): Promise<void> {
    const { ref, behaviour, runner } = entry;
    const { snapshot, records } = await this.journal.load(ref);
    let state: AnyMachineSnapshot;
    let seq = snapshot?.seq ?? 0;
    try {
      state = snapshot ? runner.restore(snapshot.state) : runner.initial(behaviour.input(ref));
      for (const record of records) {
        if (record.seq !== seq + 1) throw new ActorFailedError(ref, `journal gap: expected #${seq + 1}, found #${record.seq}`);
        state = runner.next(state, record.event);
        seq = record.seq;
      }
    } catch (error) {
      if (error instanceof ActorFailedError) throw error;
      throw new ActorFailedError(ref, 'replay failed', { cause: error });
    }
    const last = records.at(-1);
    if (last && flatStateName(state.value) !== last.state) {
      this.log.warn('replayed state differs from the journal', { actor: entry.address, journal: last.state, replayed: flatStateName(state.value) });
    }
    entry.snapshot = state;
    entry.seq = seq;
    entry.snapshotSeq = snapshot?.seq ?? 0;
    entry.unseen = false;
  }

  /**
   * Right after a group commit, per kind (and per MAX_EVENTS_PER_BATCH): the commit's inspection
   * events as one message and its domain events durably as one message, which live subscribers
   * (the hub's /rt fan-out) receive too: one message, one stored message and one ack per commit
   * instead of three messages per event.
   */
  private publishCommitted(records: readonly JournalRecord[]): void {
    const byKind = new Map<string, { events: DomainEvent[]; inspections: InspectionEvent[] }>();
    for (const record of records) {
      try {
        const behaviour = this.behaviours.get(record.kind)!;
        const domainEvent: DomainEvent = {
          kind: record.kind,
          id: record.id,
          seq: record.seq,
          type: record.event.type,
          state: record.state,
          at: record.at,
          summary: behaviour.summary(record.context),
        };
        const inspection: InspectionEvent = {
          actor: { kind: record.kind, id: record.id },
          state: record.state,
          eventType: record.event.type,
          seq: record.seq,
          at: record.at,
          node: this.nodeId,
        };
        const ofKind = byKind.get(record.kind);
        if (ofKind) {
          ofKind.events.push(domainEvent);
          ofKind.inspections.push(inspection);
        } else byKind.set(record.kind, { events: [domainEvent], inspections: [inspection] });
      } catch (error) {
        this.log.error('events not published', { actor: actorAddress(record), seq: record.seq, error });
      }
    }
    for (const [kind, { events, inspections }] of byKind) {
      for (let start = 0; start < events.length; start += MAX_EVENTS_PER_BATCH) {
        const inspected: InspectionBatch = { kind, events: inspections.slice(start, start + MAX_EVENTS_PER_BATCH) };
        this.bus.publish(subjects.inspectionBatch(kind), inspected);
        const batch: DomainEventBatch = { kind, events: events.slice(start, start + MAX_EVENTS_PER_BATCH) };
        const stored = (async () => this.bus.publishDurable(subjects.actorEventBatch(kind), batch))();
        stored.catch((error: unknown) => {
          const first = batch.events[0]!;
          this.log.error('domain events not stored', { kind, events: batch.events.length, first: `${first.id}#${first.seq}`, error });
        });
      }
    }
  }

  private afterCommit(entry: LiveActor, record: JournalRecord): void {
    const { ref } = entry;
    if (record.seq - entry.snapshotSeq >= this.snapshotEvery && entry.snapshot) {
      entry.snapshotSeq = record.seq;
      const state = entry.runner.persisted(entry.snapshot);
      const saving: Promise<void> = this.journal
        .saveSnapshot(ref, { seq: record.seq, state })
        .catch((error: unknown) => this.log.warn('snapshot not saved', { actor: entry.address, seq: record.seq, error }))
        .finally(() => this.pendingSnapshots.delete(saving));
      this.pendingSnapshots.add(saving);
    }
  }

  /** Forgets the in-memory actor; its next command rehydrates it from the journal. */
  private drop(entry: LiveActor): void {
    entry.snapshot = null;
  }

  private evict(entry: LiveActor): void {
    entry.snapshot = null;
    this.live.delete(entry.address);
    if (this.live.size === 0) this.stopSweep();
  }

  /** Waits for the actor's mailbox to empty, then passivates it unless `stillLeaving()` turned false. */
  private async passivateWhenIdle(entry: LiveActor, stillLeaving: () => boolean): Promise<void> {
    while (entry.running) await entry.running;
    if (stillLeaving() && this.live.get(entry.address) === entry && !entry.running) this.evict(entry);
  }

  // One coarse sweep instead of a timer per actor: an actor lives between idleMs and 1.25 × idleMs.
  private startSweep(): void {
    if (this.sweepTimer || this.stopping) return;
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(1, Math.floor(this.idleMs / 4)));
    this.sweepTimer.unref?.();
  }

  private stopSweep(): void {
    if (this.sweepTimer) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = null;
    }
  }

  private sweep(): void {
    const idleSince = Date.now() - this.idleMs;
    for (const entry of this.live.values()) {
      if (!entry.running && entry.mailbox.length === 0 && entry.lastActive <= idleSince) this.evict(entry);
    }
  }
}
