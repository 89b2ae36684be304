// Who may do what in a collaborative document (the table in document-model.md), as a pure function
// of the signed-in user, the document and the facts of its case.
import { isCourtStaff, type Role } from '../../platform/roles.ts';
import type { DocKind } from './doc-names.ts';

/** The authenticated person behind a session, as stamped into awareness and annotation authors. */
export interface CollabUser {
  userId: string;
  role: Role;
  courtId: string | null;
  displayName: string;
}

/** What the case says about the user: membership by the case visibility rule (staff = the case's court). */
export interface CaseFacts {
  isMember: boolean;
  /** When known, court staff must belong to this court as well. */
  courtId?: string | null;
}

/**
 * - `none`: nothing may be written.
 * - `ownAreas`: transcript: only `confirmations/<own id>` and `comments/<own id>`; annotations: create
 *   own annotations, change/delete own ones, comment as oneself.
 * - `editor`: transcript: everything except other users' confirmation/comment areas; annotations:
 *   change/delete any annotation, create/comment as oneself.
 * - `full`: anything (judge notes).
 */
export type WriteRight = 'none' | 'ownAreas' | 'editor' | 'full';

export type DocAccess =
  | { allowed: false }
  | { allowed: true; write: WriteRight; /** whether the session's awareness is spread */ awareness: boolean };

export const NO_ACCESS: DocAccess = { allowed: false };

const EDITING_STAFF: readonly Role[] = ['judge', 'clerk'];

export function resolveDocAccess(user: CollabUser, kind: DocKind, facts: CaseFacts): DocAccess {
  if (!facts.isMember) return NO_ACCESS;
  const staff = isCourtStaff(user.role);
  if (staff && (user.courtId === null || (facts.courtId !== undefined && facts.courtId !== user.courtId))) return NO_ACCESS;

  if (kind === 'judgeNotes') return user.role === 'judge' ? { allowed: true, write: 'full', awareness: true } : NO_ACCESS;
  if (EDITING_STAFF.includes(user.role)) return { allowed: true, write: 'editor', awareness: true };
  // Court staff who do not run hearings (court administrators) follow along read-only and invisibly.
  if (staff) return { allowed: true, write: 'none', awareness: false };
  return { allowed: true, write: 'ownAreas', awareness: true };
}
