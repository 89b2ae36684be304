// The filing (立案申请) as a party or lawyer submits it: one zod schema that the API, the drafts, the
// CLI dry-run and the rule engine all share. Bad input (amounts, dates, service addresses) is refused
// here with the field's path; whether a well-formed filing is *acceptable* is the rule engine's job.
import { z } from 'zod';
import { CAUSE_IDS, CAUSES } from './causes.ts';
import { answerProblem, courtToday, isCalendarDate, YUAN_PATTERN } from './values.ts';

export { courtToday } from './values.ts';

export const MATERIAL_TYPES = ['complaint', 'identityProof', 'evidence', 'powerOfAttorney', 'contract', 'other'] as const;
export type MaterialType = (typeof MATERIAL_TYPES)[number];

export const JURISDICTION_BASES = ['defendantDomicile', 'placeOfPerformance', 'agreedClause', 'placeOfTort', 'placeOfContractSigning'] as const;
export type JurisdictionBasis = (typeof JURISDICTION_BASES)[number];

export const PROCEDURES = ['ordinary', 'simplified', 'small-claims'] as const;
export type Procedure = (typeof PROCEDURES)[number];

/** Decimal yuan as a string, at most two fraction digits (money is never a float). */
export const yuan = z
  .string()
  .regex(YUAN_PATTERN, '金额须为最多两位小数的元金额，如 "12000.50" / must be a decimal amount of yuan with at most 2 fraction digits, e.g. "12000.50"');

/** A real calendar date (2023-02-29 is refused), YYYY-MM-DD. */
export const isoDate = z.string().refine(isCalendarDate, '日期须为有效的 YYYY-MM-DD / must be a valid date YYYY-MM-DD');

/** A calendar date that is today or earlier (court day). */
export const pastDate = isoDate.refine((date) => date <= courtToday(), '日期不能晚于今天 / the date must not be in the future');

const text = (max: number) => z.string().trim().min(1).max(max);

export const filingParty = z.object({
  kind: z.enum(['person', 'organisation']),
  name: text(100),
  /** Resident ID number for a person, unified social credit code for an organisation (sealed before storage). */
  idNumber: z.string().trim().min(1).max(40).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 -]{4,19}$/, '电话号码格式不正确 / not a phone number')
    .optional(),
  address: z.string().trim().min(2).max(300).optional(),
  /** Region where the party lives or is registered, e.g. '北京市朝阳区' (territorial jurisdiction). */
  domicile: z.string().trim().min(2).max(100).optional(),
  userId: z.uuid().optional(),
  /** For an organisation: its legal representative (法定代表人), printed on the complaint. */
  legalRepresentative: z.string().trim().min(1).max(100).optional(),
});
export type FilingParty = z.infer<typeof filingParty>;

export const filingAgent = z.object({
  userId: z.uuid(),
  name: text(100),
  licenceNumber: z.string().trim().min(1).max(40),
  powerOfAttorneyMaterialId: z.uuid(),
});

export const filingClaim = z.object({ text: z.string().trim().min(2).max(2000), amount: yuan.optional() });

export const filingMaterial = z.object({
  id: z.uuid(),
  type: z.enum(MATERIAL_TYPES),
  name: text(200),
  pages: z.number().int().min(1),
  mimeType: z.string().trim().min(1).max(100),
});
export type FilingMaterial = z.infer<typeof filingMaterial>;

/** The filing's fields without the cross-field checks (for partial drafts: `filingInputFields.partial()`). */
export const filingInputFields = z.object({
  courtId: z.uuid(),
  cause: z.enum(CAUSE_IDS),
  /** The procedure asked for; the rules decide (small claims by amount). */
  procedure: z.enum(PROCEDURES).optional(),
  plaintiffs: z.array(filingParty).min(1).max(50),
  defendants: z.array(filingParty).min(1).max(50),
  /** A lawyer filing for a client (with the power of attorney among the materials). */
  agent: filingAgent.optional(),
  claims: z.array(filingClaim).min(1).max(50),
  facts: z.string().max(20000),
  /** Answers to CAUSES[cause].questions, by question id. */
  causeFacts: z.record(z.string(), z.string().max(2000)),
  /** When the right holder knew of the harm (limitation period); not in the future. */
  knewOn: pastDate.optional(),
  jurisdiction: z.object({
    basis: z.enum(JURISDICTION_BASES),
    place: z.string().trim().min(2).max(100),
    clause: z.string().trim().max(2000).optional(),
  }),
  evidence: z.array(z.object({ name: text(200), purpose: z.string().max(1000), materialId: z.uuid().optional() })).max(500),
  electronicService: z.object({
    consent: z.boolean(),
    addresses: z.array(z.object({ kind: z.enum(['phone', 'email', 'platform']), value: z.string().trim().min(1).max(200) })).max(10),
  }),
  materials: z.array(filingMaterial).max(500),
});

/** Cross-field bad input, each issue at the path of the field to fix. */
export const filingInput = filingInputFields.superRefine((filing, context) => {
  if (filing.electronicService.consent) {
    // Consent to electronic service (民事诉讼法第九十条) needs somewhere to serve to.
    if (filing.electronicService.addresses.length === 0) {
      context.addIssue({ code: 'custom', path: ['electronicService', 'addresses'], message: '同意电子送达须填写至少一个送达地址 / consent to electronic service needs at least one service address' });
    }
    filing.plaintiffs.forEach((party, index) => {
      if (!party.address && !party.phone) {
        context.addIssue({ code: 'custom', path: ['plaintiffs', index, 'address'], message: '同意电子送达的当事人须有地址或联系电话 / a party consenting to electronic service needs an address or a phone' });
      }
    });
  }
  // Answers to the cause's questions must fit their kind (dates real and not in the future, amounts in yuan).
  const today = courtToday();
  for (const question of CAUSES[filing.cause].questions) {
    const answer = filing.causeFacts[question.id];
    const problem = answer === undefined ? null : answerProblem(question, answer, today);
    if (problem) context.addIssue({ code: 'custom', path: ['causeFacts', question.id], message: problem });
  }
  filing.electronicService.addresses.forEach((address, index) => {
    const ok =
      address.kind === 'email' ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address.value) : address.kind === 'phone' ? /^\+?[0-9][0-9 -]{4,19}$/.test(address.value) : true;
    if (!ok) context.addIssue({ code: 'custom', path: ['electronicService', 'addresses', index, 'value'], message: `送达地址不是有效的${address.kind === 'email' ? '电子邮箱' : '电话'} / not a valid ${address.kind}` });
  });
});
export type FilingInput = z.infer<typeof filingInput>;
