// Leases on the keys of one JetStream KV bucket (whose TTL is the lease TTL): a key names its owner
// node; it is taken with create, kept with compare-and-set renewals and given back with a
// revision-checked delete. Shared by the actor shard leases and the hub's held leases (held-leases.ts: documents, hearing media).
import type { KV } from '@nats-io/kv';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { z } from 'zod';

const ownerValue = z.object({ v: z.literal(1), node: z.string().min(1), at: z.iso.datetime() });

export const encodeLeaseOwner = (node: string): string => JSON.stringify({ v: 1, node, at: new Date().toISOString() });

/** The owner node a lease value names; null when the value is not a lease. */
export function decodeLeaseOwner(text: string): string | null {
  try {
    const parsed = ownerValue.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.node : null;
  } catch {
    return null;
  }
}

/** A KV "wrong last sequence" answer: the compare-and-set failed, somebody else wrote the key. */
export function isCasFailure(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** A renewal failed: someone else holds/changed the key, or the server didn't answer. */
export class KeyLeaseLostError extends Error {
  constructor(readonly key: string, readonly reason: 'taken' | 'unconfirmed', options?: { cause?: unknown }) {
    super(`lease ${key} ${reason === 'taken' ? 'is held by another node' : 'could not be confirmed'}`, options);
    this.name = 'KeyLeaseLostError';
  }
}

export interface KeyLeases {
  /** Takes a free key; its revision, or null when another node holds it. */
  claim(key: string, node: string): Promise<number | null>;
  /** Renews by compare-and-set on the revision of our last write; the new revision. Throws KeyLeaseLostError. */
  renew(key: string, node: string, revision: number, timeoutMs: number): Promise<number>;
  /** Deletes the key only if our write is still the last one. */
  release(key: string, revision: number): Promise<void>;
  /** Current owner, if any. */
  owner(key: string): Promise<{ node: string; revision: number } | null>;
}

export function keyLeases(kv: KV): KeyLeases {
  return {
    async claim(key, node) {
      try {
        return await kv.create(key, encodeLeaseOwner(node));
      } catch (error) {
        if (isCasFailure(error)) return null;
        throw error;
      }
    },

    async renew(key, node, revision, timeoutMs) {
      try {
        return await kv.update(key, encodeLeaseOwner(node), revision, timeoutMs);
      } catch (error) {
        throw new KeyLeaseLostError(key, isCasFailure(error) ? 'taken' : 'unconfirmed', { cause: error });
      }
    },

    async release(key, revision) {
      try {
        await kv.delete(key, { previousSeq: revision });
      } catch (error) {
        // Already changed by someone else: it is not ours to delete any more.
        if (!isCasFailure(error)) throw error;
      }
    },

    async owner(key) {
      const entry = await kv.get(key);
      if (!entry || entry.operation !== 'PUT') return null;
      const parsed = ownerValue.safeParse(entry.json());
      return parsed.success ? { node: parsed.data.node, revision: entry.revision } : null;
    },
  };
}
