// Appends a batch of Yjs updates of any number of documents in ONE statement (one transaction,
// one round trip): the database numbers each document's updates after its last seq, in batch order.
import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { rowsOf } from '../raw-rows.ts';
import { transcriptHearingId } from './hearing-of-document.ts';
import type { PersistedUpdateOrigin } from './update-origin.ts';

export interface UpdateToAppend {
  docName: string;
  update: Uint8Array;
  origin: PersistedUpdateOrigin;
  /** When the room received it. */
  at: Date;
}

/** Per document of the batch: its last seq now, and the seq its snapshot covers (0: none). */
export interface AppendedDocument {
  docName: string;
  lastSeq: number;
  snapshotThroughSeq: number;
}

export async function appendUpdates({ db, updates }: { db: Db; updates: readonly UpdateToAppend[] }): Promise<AppendedDocument[]> {
  if (updates.length === 0) return [];
  // Position of each update among its document's updates in this batch: seq = last seq + ord.
  const counters = new Map<string, number>();
  const ords = updates.map((u) => {
    const ord = (counters.get(u.docName) ?? 0) + 1;
    counters.set(u.docName, ord);
    return ord;
  });
  const column = <T>(pick: (u: UpdateToAppend) => T) => updates.map(pick);
  const origin = (u: UpdateToAppend) => u.origin as Partial<{ userId: string; sessionId: string; engine: string; reason: string }>;
  // bytea and text[] travel as text (base64, JSON): an array of arrays would be flattened by
  // unnest, and bytea[] parameters are not serialised alike by pg and PGlite.
  const result = await db.execute(sql`
    with input as (
      select * from unnest(
        ${sql.param(column((u) => u.docName))}::text[], ${sql.param(ords)}::int[],
        ${sql.param(column((u) => Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength).toString('base64')))}::text[],
        ${sql.param(column((u) => u.origin.source))}::text[], ${sql.param(column((u) => origin(u).userId ?? null))}::uuid[],
        ${sql.param(column((u) => origin(u).sessionId ?? null))}::text[], ${sql.param(column((u) => origin(u).engine ?? null))}::text[],
        ${sql.param(column((u) => origin(u).reason ?? null))}::text[],
        ${sql.param(column((u) => (u.origin.segmentIds ? JSON.stringify(u.origin.segmentIds) : null)))}::text[],
        ${sql.param(column((u) => transcriptHearingId(u.docName)))}::uuid[], ${sql.param(column((u) => u.at.toISOString()))}::timestamptz[]
      ) as b(doc_name, ord, update_b64, origin_source, user_id, session_id, engine, reason, segment_ids_json, hearing_id, at)
    ),
    last as (
      select d.doc_name, greatest(
        coalesce((select max(u.seq) from collab_updates u where u.doc_name = d.doc_name), 0),
        coalesce((select s.through_seq from collab_snapshots s where s.doc_name = d.doc_name), 0)
      ) as last_seq
      from (select distinct doc_name from input) d
    ),
    inserted as (
      insert into collab_updates (doc_name, seq, update, origin_source, user_id, session_id, engine, reason, segment_ids, hearing_id, at)
      select i.doc_name, l.last_seq + i.ord, decode(i.update_b64, 'base64'), i.origin_source, i.user_id, i.session_id,
        i.engine, i.reason,
        case when i.segment_ids_json is null then null
             else array(select jsonb_array_elements_text(i.segment_ids_json::jsonb)) end,
        i.hearing_id, i.at
      from input i join last l on l.doc_name = i.doc_name
      returning doc_name, seq
    )
    select ins.doc_name, max(ins.seq)::text as last_seq, coalesce(max(s.through_seq), 0)::text as through_seq
    from inserted ins left join collab_snapshots s on s.doc_name = ins.doc_name
    group by ins.doc_name`);
  return rowsOf<{ doc_name: string; last_seq: string; through_seq: string }>(result).map((row) => ({
    docName: row.doc_name,
    lastSeq: Number(row.last_seq),
    snapshotThroughSeq: Number(row.through_seq),
  }));
}
