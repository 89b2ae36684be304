// How the hub (and other actors) ask an actor something over the bus: the command goes to the
// subject of the actor's shard, together with the others sent to that shard in the same turn of
// the event loop (CommandBatcher: one request, one reply per command); while the shard is moving
// between nodes the answer is ACTOR_UNAVAILABLE, so we retry with a short backoff until the
// caller's time is up. Given the shard routes (the lease holders, ShardRoutes), it batches per
// node instead: all commands for the shards one node holds go in one request to the node's
// subject; a command the node does not serve (stale view) is sent again on its shard's subject.
import { AppError } from '../../platform/errors.ts';
import type { Bus } from '../bus/bus.ts';
import { subjects } from '../bus/subjects.ts';
import { CommandBatcher } from './command-batcher.ts';
import type { ShardRoutes } from './shard-routes.ts';
import { shardOf } from './shards.ts';
import type { ActorClient, ActorRef, CommandReply } from './types.ts';

const FIRST_BACKOFF_MS = 20;
const MAX_BACKOFF_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isCommandReply(value: unknown): value is CommandReply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: { code?: unknown } };
  if (reply.ok === true) return true;
  return reply.ok === false && typeof reply.error?.code === 'string';
}

const unavailable = (message: string): CommandReply => ({ ok: false, error: { code: 'ACTOR_UNAVAILABLE', message } });

export function createBusActorClient(options: { bus: Bus; shardCount: number; defaultTimeoutMs?: number; routes?: ShardRoutes }): ActorClient {
  const { bus, shardCount, routes } = options;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 5000;
  const batcher = new CommandBatcher({ bus });
  return {
    async ask(ref: ActorRef, command, askOptions): Promise<CommandReply> {
      const shard = shardOf(ref.id, shardCount);
      const shardSubject = subjects.actorCommand(ref.kind, shard);
      const deadline = Date.now() + (askOptions?.timeoutMs ?? defaultTimeoutMs);
      let backoff = FIRST_BACKOFF_MS;
      let last: CommandReply = unavailable('the actor did not answer in time');
      while (true) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) return last;
        const node = routes?.nodeOf(ref.kind, shard);
        try {
          const answer = node === undefined
            ? await batcher.send(shardSubject, ref.id, command, remaining)
            : await batcher.send(subjects.actorNodeCommand(node), ref.id, command, remaining, ref.kind);
          if (!isCommandReply(answer)) return { ok: false, error: { code: 'INTERNAL', message: 'the actor sent a malformed reply' } };
          // Only an explicit "not here" is retried: the command was not applied, so retrying is safe.
          if (answer.ok || answer.error.code !== 'ACTOR_UNAVAILABLE') return answer;
          last = answer;
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'ACTOR_UNAVAILABLE') {
            return { ok: false, error: { code: 'INTERNAL', message: 'the actor could not be reached' } };
          }
          // No responder (or none in time): a timed-out request has used up the remaining time anyway.
          last = unavailable(error.message);
        }
        if (node !== undefined) {
          // The route was stale (the node lost the shard, or is gone): ask the shard's subject at once.
          routes!.distrust(ref.kind, shard);
          continue;
        }
        const pause = Math.min(backoff, deadline - Date.now());
        if (pause <= 0) return last;
        await sleep(pause);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    },
  };
}
