// The template registry: a template's name → its data schema and the function that lays it out.
// `buildCourtDocument(name, data)` validates first (DOCUMENT_DATA_INVALID with every bad field).
import type { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { CourtDocument } from './document-model.ts';
import { parseTemplateData } from './template-data.ts';
import { acceptanceNotice, acceptanceNoticeData } from './acceptance-notice.ts';
import { noticeToRespond, noticeToRespondData } from './notice-to-respond.ts';
import { evidenceNotice, evidenceNoticeData } from './evidence-notice.ts';
import { summons, summonsData } from './summons.ts';
import { hearingTranscript, hearingTranscriptData } from './hearing-transcript.ts';
import { civilJudgment, civilJudgmentData } from './civil-judgment.ts';
import { filingReceipt, filingReceiptData } from './filing-receipt.ts';
import { proofOfService, proofOfServiceData } from './proof-of-service.ts';
import { complaint, complaintData } from './complaint.ts';

interface Template<S extends z.ZodType> {
  title: string;
  schema: S;
  build: (data: z.output<S>) => CourtDocument;
}

const template = <S extends z.ZodType>(definition: Template<S>) => definition as unknown as Template<z.ZodType>;

export const TEMPLATES = {
  acceptanceNotice: template({ title: '受理通知书', schema: acceptanceNoticeData, build: acceptanceNotice }),
  noticeToRespond: template({ title: '应诉通知书', schema: noticeToRespondData, build: noticeToRespond }),
  evidenceNotice: template({ title: '举证通知书', schema: evidenceNoticeData, build: evidenceNotice }),
  summons: template({ title: '传票', schema: summonsData, build: summons }),
  hearingTranscript: template({ title: '庭审笔录', schema: hearingTranscriptData, build: hearingTranscript }),
  civilJudgment: template({ title: '民事判决书', schema: civilJudgmentData, build: civilJudgment }),
  filingReceipt: template({ title: '立案回执', schema: filingReceiptData, build: filingReceipt }),
  proofOfService: template({ title: '送达回证', schema: proofOfServiceData, build: proofOfService }),
  /** The filer's 起诉状 (smart filing), generated from the guided form for signature. */
  complaint: template({ title: '民事起诉状', schema: complaintData, build: complaint }),
};
export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(TEMPLATES, name);
}

/** Validates `data` for the template and lays the document out as blocks. */
export function buildCourtDocument(name: string, data: unknown): CourtDocument {
  if (!isTemplateName(name)) {
    throw new AppError('BAD_REQUEST', `Unknown document template ${JSON.stringify(name)} (one of ${TEMPLATE_NAMES.join(', ')}) / 未知的文书模板`);
  }
  const entry = TEMPLATES[name];
  return entry.build(parseTemplateData(name, entry.schema, data));
}

export type { CourtDocument, DocumentBlock } from './document-model.ts';
