// Document names and the access table of document-model.md, as a full matrix.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { resolveDocAccess, type CollabUser, type WriteRight } from '../../hub/collab/access.ts';
import {
  annotationsDocName,
  judgeNotesDocName,
  parseDocName,
  transcriptDocName,
  docNameOf,
  type DocKind,
} from '../../hub/collab/doc-names.ts';
import type { Role } from '../../platform/roles.ts';

const caseId = randomUUID();
const hearingId = randomUUID();
const evidenceId = randomUUID();
const courtId = randomUUID();

describe('collaborative document names', () => {
  it('builds and parses the three kinds', () => {
    expect(parseDocName(transcriptDocName(caseId, hearingId))).toEqual({ kind: 'transcript', caseId, hearingId });
    expect(parseDocName(judgeNotesDocName(caseId, hearingId))).toEqual({ kind: 'judgeNotes', caseId, hearingId });
    expect(parseDocName(annotationsDocName(caseId, evidenceId))).toEqual({ kind: 'annotations', caseId, evidenceId });
    expect(transcriptDocName(caseId, hearingId)).toBe(`cases/${caseId}/hearings/${hearingId}/transcript`);
    for (const name of [transcriptDocName(caseId, hearingId), annotationsDocName(caseId, evidenceId)]) {
      expect(docNameOf(parseDocName(name)!)).toBe(name);
    }
  });

  it.each([
    '',
    'cases',
    `cases/${caseId}`,
    `cases/${caseId}/hearings/${hearingId}`,
    `cases/${caseId}/hearings/${hearingId}/minutes`,
    `cases/${caseId}/hearings/${hearingId}/transcript/`,
    `/cases/${caseId}/hearings/${hearingId}/transcript`,
    `cases/${caseId.toUpperCase()}/hearings/${hearingId}/transcript`,
    `cases/not-a-uuid/hearings/${hearingId}/transcript`,
    `cases/${caseId}/evidence/${evidenceId}/transcript`,
    `cases/${caseId}/hearings/${hearingId}/annotations`,
    `cases/${caseId}/hearings/${hearingId}/transcript?x=1`,
    `cases/${caseId}/../${caseId}/hearings/${hearingId}/transcript`,
  ])('refuses %j as unknown', (name) => {
    expect(parseDocName(name)).toBeNull();
  });
});

type Cell = 'refused' | { write: WriteRight; awareness: boolean };
const R = 'refused' as const;
const READ_ONLY = { write: 'none', awareness: false } as const;
const OWN = { write: 'ownAreas', awareness: true } as const;
const EDITOR = { write: 'editor', awareness: true } as const;
const FULL = { write: 'full', awareness: true } as const;

/** document-model.md "Who may do what", row by row. */
const MATRIX: Record<string, { role: Role; member: boolean; otherCourt?: boolean; cells: Record<DocKind, Cell> }> = {
  judge: { role: 'judge', member: true, cells: { transcript: EDITOR, judgeNotes: FULL, annotations: EDITOR } },
  clerk: { role: 'clerk', member: true, cells: { transcript: EDITOR, judgeNotes: R, annotations: EDITOR } },
  'party (member)': { role: 'party', member: true, cells: { transcript: OWN, judgeNotes: R, annotations: OWN } },
  'lawyer (member)': { role: 'lawyer', member: true, cells: { transcript: OWN, judgeNotes: R, annotations: OWN } },
  'institution (member)': { role: 'institution', member: true, cells: { transcript: OWN, judgeNotes: R, annotations: OWN } },
  'courtAdmin (observer)': { role: 'courtAdmin', member: true, cells: { transcript: READ_ONLY, judgeNotes: R, annotations: READ_ONLY } },
  'party (non-member)': { role: 'party', member: false, cells: { transcript: R, judgeNotes: R, annotations: R } },
  'lawyer (non-member)': { role: 'lawyer', member: false, cells: { transcript: R, judgeNotes: R, annotations: R } },
  'judge (non-member)': { role: 'judge', member: false, cells: { transcript: R, judgeNotes: R, annotations: R } },
  'judge of another court': { role: 'judge', member: true, otherCourt: true, cells: { transcript: R, judgeNotes: R, annotations: R } },
  'clerk of another court': { role: 'clerk', member: true, otherCourt: true, cells: { transcript: R, judgeNotes: R, annotations: R } },
};

describe('collaborative document access matrix', () => {
  const kinds: DocKind[] = ['transcript', 'judgeNotes', 'annotations'];
  const rows = Object.entries(MATRIX).flatMap(([label, row]) => kinds.map((kind) => [label, kind, row.cells[kind]] as const));

  it.each(rows)('%s × %s', (label, kind, expected) => {
    const row = MATRIX[label]!;
    const user: CollabUser = {
      userId: randomUUID(),
      role: row.role,
      courtId: ['judge', 'clerk', 'courtAdmin'].includes(row.role) ? (row.otherCourt ? randomUUID() : courtId) : null,
      displayName: label,
    };
    const access = resolveDocAccess(user, kind, { isMember: row.member, courtId });
    if (expected === 'refused') {
      expect(access).toEqual({ allowed: false });
    } else {
      expect(access).toEqual({ allowed: true, ...expected });
    }
  });

  it('refuses court staff without a court even when told they are members', () => {
    expect(resolveDocAccess({ userId: randomUUID(), role: 'judge', courtId: null, displayName: 'x' }, 'transcript', { isMember: true })).toEqual({
      allowed: false,
    });
  });
});
