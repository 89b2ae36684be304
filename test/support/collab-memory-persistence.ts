// An in-memory DocPersistence for room tests: records every append with its origin, and can be told
// to fail loads or appends, or to hold appends until released.
import * as Y from 'yjs';
import type { DocPersistence, PersistedOrigin } from '../../hub/collab/persistence.ts';

export interface AppendedUpdate {
  docName: string;
  update: Uint8Array;
  origin: PersistedOrigin;
}

export class MemoryDocPersistence implements DocPersistence {
  readonly appended: AppendedUpdate[] = [];
  loads = 0;
  failLoads = false;
  failAppends = false;
  /** When set, appends wait for this promise (to test flushing and ordering). */
  holdAppends: Promise<void> | null = null;
  private readonly stored = new Map<string, Uint8Array[]>();

  seed(docName: string, update: Uint8Array): void {
    const list = this.stored.get(docName) ?? [];
    list.push(update);
    this.stored.set(docName, list);
  }

  async load(docName: string): Promise<Uint8Array | null> {
    this.loads++;
    await Promise.resolve();
    if (this.failLoads) throw new Error('load failed (test)');
    const list = this.stored.get(docName);
    return list && list.length > 0 ? Y.mergeUpdates(list) : null;
  }

  async append(docName: string, update: Uint8Array, origin: PersistedOrigin): Promise<void> {
    if (this.holdAppends) await this.holdAppends;
    if (this.failAppends) throw new Error('append failed (test)');
    this.seed(docName, update);
    this.appended.push({ docName, update, origin });
  }

  /** The stored document as a fresh Y.Doc. */
  docOf(docName: string): Y.Doc {
    const doc = new Y.Doc();
    const list = this.stored.get(docName);
    if (list && list.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(list));
    return doc;
  }
}
