// Compaction: folds a document's snapshot and the updates after it into a new snapshot, in one
// transaction. The folded updates keep their rows (seq, origin, segments, time: the audit trail)
// and lose only their bytes; a failure rolls everything back and the updates stay as they were.
import { and, eq, gt, isNotNull, lte, sql, asc } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../database.ts';
import { SYSTEM_ACTOR, writeAudit } from '../audit/write-audit.ts';
import { rowsOf } from '../raw-rows.ts';
import { toUint8Array } from './load-document.ts';
import { collabSnapshots, collabUpdates } from './schema.ts';

export interface CompactionResult {
  docName: string;
  /** The seq the snapshot now covers (unchanged when there was nothing to fold). */
  throughSeq: number;
  /** How many updates were folded in. */
  folded: number;
  snapshotBytes: number;
}

export interface CompactDocumentOptions {
  db: Db;
  docName: string;
  /**
   * Fold at most this many updates (the oldest after the snapshot); the rest stay for the next call. Merging
   * thousands of updates blocks the event loop for 100 ms and more, so the hub folds in steps (collab-store.ts).
   */
  maxUpdates?: number;
}

export async function compactDocument({ db, docName, maxUpdates }: CompactDocumentOptions): Promise<CompactionResult> {
  return db.transaction(async (tx) => {
    // The lock keeps a second compactor (another node that took the document over) out until we commit.
    const [snapshot] = rowsOf<{ state: Uint8Array; through_seq: string }>(
      await tx.execute(sql`select state, through_seq::text from collab_snapshots where doc_name = ${docName} for update`),
    );
    const fromSeq = snapshot ? Number(snapshot.through_seq) : 0;
    const tail = await tx
      .select({ seq: collabUpdates.seq, update: collabUpdates.update })
      .from(collabUpdates)
      .where(and(eq(collabUpdates.docName, docName), gt(collabUpdates.seq, fromSeq), isNotNull(collabUpdates.update)))
      .orderBy(asc(collabUpdates.seq))
      .limit(maxUpdates ?? Number.MAX_SAFE_INTEGER);
    if (tail.length === 0) {
      return { docName, throughSeq: fromSeq, folded: 0, snapshotBytes: snapshot ? snapshot.state.byteLength : 0 };
    }
    const throughSeq = tail[tail.length - 1]!.seq;
    const parts = tail.map((row) => row.update!);
    if (snapshot) parts.unshift(toUint8Array(snapshot.state));
    const state = Y.mergeUpdates(parts);
    const at = new Date();
    await tx
      .insert(collabSnapshots)
      .values({ docName, state, throughSeq, at })
      .onConflictDoUpdate({ target: collabSnapshots.docName, set: { state, throughSeq, at } });
    await tx
      .update(collabUpdates)
      .set({ update: null })
      .where(and(eq(collabUpdates.docName, docName), gt(collabUpdates.seq, fromSeq), lte(collabUpdates.seq, throughSeq)));
    await writeAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: 'collabDocument.compact',
      subjectKind: 'collabDocument',
      subjectId: docName,
      detail: { fromSeq, throughSeq, folded: tail.length, snapshotBytes: state.byteLength },
      at,
    });
    return { docName, throughSeq, folded: tail.length, snapshotBytes: state.byteLength };
  });
}
