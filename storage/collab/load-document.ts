// The stored state of a document as ONE Yjs update: its snapshot merged with the updates after it.
// Snapshot and tail are read in one statement, so a compaction running meanwhile cannot split them.
import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../database.ts';
import { rowsOf } from '../raw-rows.ts';

/** null when the document was never written. */
export async function loadDocument({ db, docName }: { db: Db; docName: string }): Promise<Uint8Array | null> {
  const result = await db.execute(sql`
    select 0 as part, s.through_seq as seq, s.state as bytes from collab_snapshots s where s.doc_name = ${docName}
    union all
    select 1 as part, u.seq, u.update from collab_updates u
    where u.doc_name = ${docName} and u.update is not null
      and u.seq > coalesce((select through_seq from collab_snapshots where doc_name = ${docName}), 0)
    order by part, seq`);
  const parts = rowsOf<{ bytes: Uint8Array }>(result).map((row) => toUint8Array(row.bytes));
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
}

/** pg gives Buffers (a pooled, shared ArrayBuffer): copy into a plain Uint8Array the caller owns. */
export function toUint8Array(bytes: Uint8Array): Uint8Array {
  return Buffer.isBuffer(bytes) ? new Uint8Array(bytes) : bytes;
}
