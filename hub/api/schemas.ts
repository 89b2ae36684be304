// Response shapes of the API (what the OpenAPI document publishes and every answer is checked against).
import { z } from 'zod';
import { ROLES } from '../../platform/roles.ts';
import { CASE_STATES } from '../../actors/case/case.protocol.ts';

const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant');

export const publicUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  courtId: z.uuid().nullable(),
});

export const courtSchema = z.object({
  id: z.uuid(),
  code: z.string().describe('Court code used in case numbers, e.g. 京0105'),
  name: z.string(),
  nameEn: z.string(),
});

export const caseSummarySchema = z.object({
  id: z.uuid(),
  caseNumber: z.string().nullable().describe('(2026)京0105民初123号 once accepted'),
  courtId: z.uuid(),
  courtName: z.string(),
  cause: z.string(),
  claimAmount: z.string().nullable().describe('Decimal yuan as text'),
  state: z.enum(CASE_STATES),
  filedAt: instant,
  updatedAt: instant,
  plaintiffs: z.array(z.string()),
  defendants: z.array(z.string()),
});

export const casePartySchema = z.object({
  id: z.uuid(),
  side: z.string(),
  name: z.string(),
  kind: z.string(),
  userId: z.uuid().nullable(),
  idNumberMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  address: z.string().nullable(),
});

export const caseHearingSchema = z.object({
  id: z.uuid(),
  startsAt: instant,
  courtroom: z.string(),
  state: z.string(),
});

export const caseDetailSchema = caseSummarySchema.extend({
  claims: z.string(),
  facts: z.string(),
  filedBy: z.uuid(),
  rejectionReasons: z.array(z.string()).nullable(),
  closingSummary: z.string().nullable(),
  parties: z.array(casePartySchema),
  hearings: z.array(caseHearingSchema),
  allowedCommands: z.array(z.string()).describe('Commands legal in the current state that the caller’s role may send'),
});

export const hearingListingSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  caseNumber: z.string().nullable(),
  startsAt: instant,
  courtroom: z.string(),
  state: z.string(),
  transcriptDoc: z.string().describe('Name of the hearing transcript document: open it at /yjs/<transcriptDoc>'),
});

export const transcriptTextSchema = z.object({
  docName: z.string().describe('The transcript document (/yjs/<docName>)'),
  text: z.string().describe('Plain text: one line per segment, "<speaker> (<role>) — <start>–<end> — <text>"'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('sha256 (hex) of the UTF-8 text'),
  segmentCount: z.number().int().nonnegative(),
});

export const transcriptVersionSchema = z.object({
  id: z.uuid(),
  label: z.string(),
  createdBy: z.uuid().nullable().describe('null when the system saved it'),
  createdAt: instant,
  size: z.number().int().nonnegative().describe('Bytes of the stored Yjs state'),
});

export const transcriptChangeSchema = z.object({
  seq: z.number().int().positive(),
  at: instant,
  userId: z.uuid().nullable().describe('The editing user, for session edits'),
  source: z.enum(['session', 'asr', 'system']),
  engine: z.string().nullable().describe('The ASR engine, for asr changes'),
  reason: z.string().nullable().describe('Why the system changed it, e.g. restore:<versionId>'),
  segmentIds: z.array(z.string()).describe('Segments the change touched'),
});
