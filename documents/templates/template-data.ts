// The pieces every template's data is made of (zod), and the one check that turns zod's issues into
// DOCUMENT_DATA_INVALID with every bad field listed, so a clerk fixes them all in one pass.
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { parseCaseNumber } from '../../actors/case/case-number.ts';

export const courtName = z.string().trim().min(2).max(60);

export const caseNumber = z
  .string()
  .trim()
  .refine((text) => parseCaseNumber(text) !== null, 'must be a case number like （2026）京0105民初123号');

/** A calendar date, 2026-11-27. */
export const isoDate = z.iso.date();
/** A moment with its offset, 2026-12-03T09:30:00+08:00. */
export const isoDateTime = z.iso.datetime({ offset: true });

/** Decimal yuan as a string, at most two fraction digits (money is never a float). */
export const yuan = z.string().regex(/^(0|[1-9]\d{0,13})(\.\d{1,2})?$/, 'must be a decimal amount of yuan with at most 2 fraction digits, e.g. "12000.50"');

const personName = z.string().trim().min(1).max(100);

/** A party as documents print it; the address is required because service (送达) goes there. */
export const party = z.object({
  name: personName,
  kind: z.enum(['person', 'organisation']).default('person'),
  /** 性别, 出生日期, 民族 … or 法定代表人 …: printed after the name as the court writes it. */
  description: z.string().trim().max(300).optional(),
  address: z.string().trim().min(2, 'the party address is required').max(300),
});
export type Party = z.infer<typeof party>;

/** 案由, e.g. 民间借贷纠纷. */
export const cause = z.string().trim().min(2).max(100);

/** The plaintiffs, defendants or recipients of a document (at least one). */
export const parties = z.array(party).min(1).max(50);

export const officer = z.object({ name: personName });

/** Judge and clerk of the document's signature block. */
export const signatories = {
  judge: z.object({ title: z.enum(['审判长', '审判员', '人民陪审员', '代理审判员']).default('审判员'), name: personName }),
  clerk: officer,
};

/** Order checks run even when other fields are bad, so one answer lists every bad field. */
export const ALWAYS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

/** The court's calendar day (UTC+8) of an ISO date or timestamp; undefined when it is neither. */
function courtDay(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * A refinement: `later` must not come before `earlier`. Timestamps compare as moments; when either side
 * is a plain date, both compare as the court's calendar days. Values that are missing or not dates are
 * left to their own field's check.
 */
export function inOrder(context: z.RefinementCtx<unknown>, earlier: { path: string; value: unknown }, later: { path: string; value: unknown }): void {
  const [a, b] = [earlier.value, later.value];
  if (typeof a !== 'string' || typeof b !== 'string') return;
  const dayOnly = a.length === 10 || b.length === 10;
  const [first, second] = dayOnly ? [courtDay(a), courtDay(b)] : [a, b];
  if (first === undefined || second === undefined) return;
  const [x, y] = [Date.parse(first), Date.parse(second)];
  if (Number.isNaN(x) || Number.isNaN(y)) return;
  if (y < x) context.addIssue({ code: 'custom', path: later.path.split('.'), message: `must not be before ${earlier.path}` });
}

export interface BadField {
  field: string;
  message: string;
}

/** Parses template data, or throws DOCUMENT_DATA_INVALID listing every bad field (details.fields). */
export function parseTemplateData<S extends z.ZodType>(template: string, schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const fields: BadField[] = result.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : '(data)',
    message: issue.message,
  }));
  const names = [...new Set(fields.map((field) => field.field))].join(', ');
  throw new AppError(
    'DOCUMENT_DATA_INVALID',
    `Data for the ${template} template is invalid: ${names} / 文书数据有误：${names}`,
    { template, fields },
  );
}
