// Names of the collaborative documents: built and parsed only here (see document-model.md).
// Anything that does not parse is an unknown document (closed with 4404).

export type DocKind = 'transcript' | 'judgeNotes' | 'annotations';

export type DocDescriptor =
  | { kind: 'transcript'; caseId: string; hearingId: string }
  | { kind: 'judgeNotes'; caseId: string; hearingId: string }
  | { kind: 'annotations'; caseId: string; evidenceId: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HEARING_DOC = new RegExp(`^cases/(${UUID})/hearings/(${UUID})/(transcript|judge-notes)$`);
const EVIDENCE_DOC = new RegExp(`^cases/(${UUID})/evidence/(${UUID})/annotations$`);

export const transcriptDocName = (caseId: string, hearingId: string): string =>
  `cases/${caseId}/hearings/${hearingId}/transcript`;
export const judgeNotesDocName = (caseId: string, hearingId: string): string =>
  `cases/${caseId}/hearings/${hearingId}/judge-notes`;
export const annotationsDocName = (caseId: string, evidenceId: string): string =>
  `cases/${caseId}/evidence/${evidenceId}/annotations`;

/** Ids are lower-case UUIDs (as Postgres prints them), so one document has exactly one name. */
export function parseDocName(name: string): DocDescriptor | null {
  if (name.length > 200) return null;
  const hearing = HEARING_DOC.exec(name);
  if (hearing) {
    const [, caseId = '', hearingId = '', suffix] = hearing;
    return suffix === 'transcript' ? { kind: 'transcript', caseId, hearingId } : { kind: 'judgeNotes', caseId, hearingId };
  }
  const evidence = EVIDENCE_DOC.exec(name);
  if (evidence) {
    const [, caseId = '', evidenceId = ''] = evidence;
    return { kind: 'annotations', caseId, evidenceId };
  }
  return null;
}

export function docNameOf(descriptor: DocDescriptor): string {
  switch (descriptor.kind) {
    case 'transcript':
      return transcriptDocName(descriptor.caseId, descriptor.hearingId);
    case 'judgeNotes':
      return judgeNotesDocName(descriptor.caseId, descriptor.hearingId);
    case 'annotations':
      return annotationsDocName(descriptor.caseId, descriptor.evidenceId);
  }
}
