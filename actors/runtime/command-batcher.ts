// Coalesces the commands a process sends to one shard within one turn of the event loop into ONE
// bus request (like a Kafka producer's linger, without a timer): a busy hub sends tens of commands
// per message instead of one, so NATS, the host and the client parse, route and answer per batch.
// Each command keeps its own reply (or coded error) and its own deadline.
import { AppError } from '../../platform/errors.ts';
import { PreEncoded, type Bus } from '../bus/bus.ts';
import { encodeBatchEntry, encodeCommandBatch, readBatchReplies } from './command-envelope.ts';

export interface CommandBatcherOptions {
  bus: Bus;
  /** Most commands per request. */
  maxCommands?: number;
  /** Most bytes of encoded commands per request: keeps a request well under NATS' 1 MB payload limit. */
  maxBytes?: number;
}

interface Waiting {
  resolve: (reply: unknown) => void;
  reject: (error: unknown) => void;
  deadline: number;
  settled: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

interface OpenBatch {
  subject: string;
  entries: string[];
  waiting: Waiting[];
  bytes: number;
}

/**
 * A command whose deadline is this much earlier than its batch's (the latest of its members) gets
 * a timer of its own; within it, it may be answered that much after its own deadline.
 */
const DEADLINE_SLACK_MS = 20;

// Captured at load: fake timers in a caller's tests must not hold back the bus.
const nextTurn = globalThis.setImmediate;

export class CommandBatcher {
  private readonly bus: Bus;
  private readonly maxCommands: number;
  private readonly maxBytes: number;
  private readonly open = new Map<string, OpenBatch>();
  private flushScheduled = false;

  constructor(options: CommandBatcherOptions) {
    this.bus = options.bus;
    this.maxCommands = Math.max(1, options.maxCommands ?? 128);
    this.maxBytes = Math.max(1, options.maxBytes ?? 256 * 1024);
  }

  /**
   * Sends one command with the others bound for `subject` in this turn (`kind` named in the entry
   * when the subject is a node's, not a shard's); resolves with its own
   * (unchecked) reply, rejects like Bus.request (AppError ACTOR_UNAVAILABLE when nobody answered in time).
   */
  send(subject: string, id: string, command: unknown, timeoutMs: number, kind?: string): Promise<unknown> {
    const entry = encodeBatchEntry(id, command, kind);
    const bytes = Buffer.byteLength(entry);
    let batch = this.open.get(subject);
    if (batch && (batch.entries.length >= this.maxCommands || batch.bytes + bytes > this.maxBytes)) {
      this.open.delete(subject);
      this.dispatch(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { subject, entries: [], waiting: [], bytes: 0 };
      this.open.set(subject, batch);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        nextTurn(() => this.flush());
      }
    }
    const target = batch;
    return new Promise<unknown>((resolve, reject) => {
      target.entries.push(entry);
      target.bytes += bytes;
      target.waiting.push({ resolve, reject, deadline: Date.now() + timeoutMs, settled: false, timer: null });
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batches = [...this.open.values()];
    this.open.clear();
    for (const batch of batches) this.dispatch(batch);
  }

  private dispatch(batch: OpenBatch): void {
    const { waiting } = batch;
    const now = Date.now();
    let latest = now;
    for (const member of waiting) latest = Math.max(latest, member.deadline);
    for (const member of waiting) {
      if (member.deadline < latest - DEADLINE_SLACK_MS) {
        member.timer = setTimeout(() => {
          member.settled = true;
          member.reject(new AppError('ACTOR_UNAVAILABLE', 'No answer in time', { reason: 'timeout', subject: batch.subject }));
        }, Math.max(0, member.deadline - now));
      }
    }
    const settle = (member: Waiting, outcome: (m: Waiting) => void) => {
      if (member.settled) return;
      member.settled = true;
      if (member.timer) clearTimeout(member.timer);
      outcome(member);
    };
    this.bus.request(batch.subject, new PreEncoded(encodeCommandBatch(batch.entries)), { timeoutMs: Math.max(1, latest - now) }).then(
      (answer) => {
        const replies = readBatchReplies(answer, waiting.length);
        waiting.forEach((member, index) => settle(member, (m) => m.resolve(replies ? replies[index] : undefined)));
      },
      (error: unknown) => {
        for (const member of waiting) settle(member, (m) => m.reject(error));
      },
    );
  }
}
