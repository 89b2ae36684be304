// The API's response shapes as the portal reads them (the hub's OpenAPI document is the authority).
import type { CaseState } from '../../actors/case/case.protocol.ts';

export interface Court {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
}

export interface CaseSummary {
  id: string;
  caseNumber: string | null;
  courtId: string;
  courtName: string;
  cause: string;
  claimAmount: string | null;
  state: CaseState;
  filedAt: string | null;
  updatedAt: string;
  plaintiffs: string[];
  defendants: string[];
}

export interface CaseParty {
  id: string;
  side: string;
  name: string;
  kind: string;
}

export interface CaseHearing {
  id: string;
  startsAt: string;
  courtroom: string;
  state: string;
}

export interface CaseDetail extends CaseSummary {
  claims: string;
  facts: string;
  parties: CaseParty[];
  hearings: CaseHearing[];
  allowedCommands?: string[];
}

export interface LoginReply {
  token: string;
  user: { id: string; username: string; displayName: string; role: string; courtId: string | null };
}
