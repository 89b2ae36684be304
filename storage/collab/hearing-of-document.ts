// The hearing a document name belongs to, when it is a hearing's transcript. Names are built by
// hub/collab/doc-names.ts; storage sits below the hub, so it only reads this one documented shape.
const TRANSCRIPT_NAME = /^cases\/[0-9a-f-]{36}\/hearings\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/transcript$/i;

/** `cases/<caseId>/hearings/<hearingId>/transcript` → hearingId (lower case); anything else → null. */
export function transcriptHearingId(docName: string): string | null {
  const match = TRANSCRIPT_NAME.exec(docName);
  return match ? match[1]!.toLowerCase() : null;
}
