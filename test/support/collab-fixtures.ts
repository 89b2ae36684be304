// Users, rooms and a seeded random source for collaborative room tests.
import { randomUUID } from 'node:crypto';
import { resolveDocAccess, type CollabUser } from '../../hub/collab/access.ts';
import { DocRoom, type DocRoomOptions } from '../../hub/collab/doc-room.ts';
import type { DocKind } from '../../hub/collab/doc-names.ts';
import { annotationsDocName, judgeNotesDocName, transcriptDocName } from '../../hub/collab/doc-names.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { Role } from '../../platform/roles.ts';
import { TestCollabClient } from './collab-client.ts';
import { MemoryDocPersistence } from './collab-memory-persistence.ts';

export const COURT_ID = randomUUID();
export const CASE_ID = randomUUID();
export const HEARING_ID = randomUUID();
export const EVIDENCE_ID = randomUUID();

export const docNameFor = (kind: DocKind): string =>
  kind === 'transcript' ? transcriptDocName(CASE_ID, HEARING_ID) : kind === 'judgeNotes' ? judgeNotesDocName(CASE_ID, HEARING_ID) : annotationsDocName(CASE_ID, EVIDENCE_ID);

export function makeUser(role: Role, displayName: string = role): CollabUser {
  return { userId: randomUUID(), role, courtId: ['judge', 'clerk', 'courtAdmin'].includes(role) ? COURT_ID : null, displayName };
}

export async function openRoom(
  kind: DocKind,
  options: Partial<DocRoomOptions> & { persistence?: MemoryDocPersistence } = {},
): Promise<{ room: DocRoom; persistence: MemoryDocPersistence }> {
  const persistence = options.persistence ?? new MemoryDocPersistence();
  const room = new DocRoom({ name: docNameFor(kind), kind, logger: silentLogger, ...options, persistence });
  await room.load();
  return { room, persistence };
}

/** A client of `user` joined to the room (as a member of the case), started like WebsocketProvider. */
export function joinRoom(room: DocRoom, user: CollabUser, setup?: (client: TestCollabClient) => void): TestCollabClient {
  const access = resolveDocAccess(user, room.kind, { isMember: true, courtId: COURT_ID });
  if (!access.allowed) throw new Error(`${user.role} may not open ${room.kind}`);
  const client = new TestCollabClient(room);
  setup?.(client);
  room.handleOpen(client.socket, { user, access });
  client.start();
  return client;
}

/** mulberry32: a small seeded generator, so a failing fuzz seed replays exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
