// 用印记录: a seal applied to (or requested for) a case's document, as the API and the audit tell it.
import { sealApplications, type SealApplicationStatus } from '../schema.ts';

export interface SealApplication {
  id: string;
  caseId: string;
  documentId: string;
  sealId: string;
  mode: string;
  /** The placement asked for and, once applied, `placed`: where each seal landed. */
  position: Record<string, unknown>;
  status: SealApplicationStatus;
  requestedBy: string;
  requestedRole: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  sha256Before: string;
  sha256After: string | null;
  reason: string | null;
}

export const sealApplicationColumns = {
  id: sealApplications.id,
  caseId: sealApplications.caseId,
  documentId: sealApplications.documentId,
  sealId: sealApplications.sealId,
  mode: sealApplications.mode,
  position: sealApplications.position,
  status: sealApplications.status,
  requestedBy: sealApplications.requestedBy,
  requestedRole: sealApplications.requestedRole,
  requestedAt: sealApplications.requestedAt,
  decidedBy: sealApplications.decidedBy,
  decidedAt: sealApplications.decidedAt,
  sha256Before: sealApplications.sha256Before,
  sha256After: sealApplications.sha256After,
  reason: sealApplications.reason,
};

type Row = { [K in keyof typeof sealApplicationColumns]: unknown };

export function toSealApplication(row: Row): SealApplication {
  return {
    id: row.id as string,
    caseId: row.caseId as string,
    documentId: row.documentId as string,
    sealId: row.sealId as string,
    mode: row.mode as string,
    position: row.position as Record<string, unknown>,
    status: row.status as SealApplicationStatus,
    requestedBy: row.requestedBy as string,
    requestedRole: row.requestedRole as string,
    requestedAt: (row.requestedAt as Date).toISOString(),
    decidedBy: (row.decidedBy as string | null) ?? null,
    decidedAt: row.decidedAt ? (row.decidedAt as Date).toISOString() : null,
    sha256Before: row.sha256Before as string,
    sha256After: (row.sha256After as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
  };
}

/** Who asks or decides: the signed-in account and its role. */
export interface SealOperator {
  userId: string;
  role: string;
}

/** What is being sealed, and how (the seal's placement without its mode). */
export interface SealRequestFacts {
  caseId: string;
  documentId: string;
  sealId: string;
  mode: string;
  position: Record<string, unknown>;
}
