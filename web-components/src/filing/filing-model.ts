// The guided filing form's model, without the DOM: its steps, the draft it edits (a partial
// FilingInput, as the drafts API keeps it), checks as the filer types, and the FilingInput it submits.
import { CAUSES, type CauseId, type CauseQuestion } from '../../../models/filing-rules/causes.ts';
import type { FilingInput, MaterialType } from '../../../models/filing-rules/filing.ts';
import type { DraftFiling } from '../../../storage/filing-drafts/filing-draft.ts';

export type { DraftFiling };

/** The form's steps in order; the draft remembers the one the filer was on. */
export const FILING_STEPS = ['court', 'questions', 'parties', 'claims', 'evidence', 'service', 'materials', 'review'] as const;
export type FilingStep = (typeof FILING_STEPS)[number];
export const isFilingStep = (step: unknown): step is FilingStep => (FILING_STEPS as readonly unknown[]).includes(step);

/** A material as the materials API answers (hub/api/filing-material-routes.ts). */
export interface MaterialView {
  id: string;
  type: MaterialType;
  name: string;
  mimeType: string;
  sizeBytes: number;
  pages: number;
  sha256: string;
  draftId: string | null;
  filingId: string | null;
  createdAt: string;
  contentPath: string;
}

/** The same rule as the filing schema's yuan: decimal yuan, at most two places, never a float. */
export const YUAN = /^(0|[1-9]\d{0,13})(\.\d{1,2})?$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PERCENT = /^\d{1,3}(\.\d{1,4})?$/;

export const isCause = (cause: string | undefined): cause is CauseId => cause !== undefined && Object.hasOwn(CAUSES, cause);

type Party = NonNullable<DraftFiling['plaintiffs']>[number];

const filled = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** The problem with one answer to a cause question as typed, or null. */
export function answerProblem(question: CauseQuestion, answer: string | undefined): 'required' | 'yuan' | 'date' | 'percent' | null {
  if (!filled(answer)) return question.required ? 'required' : null;
  const value = answer.trim();
  if (question.kind === 'yuan' && !YUAN.test(value)) return 'yuan';
  if (question.kind === 'date' && (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))) return 'date';
  if (question.kind === 'percent' && !PERCENT.test(value)) return 'percent';
  return null;
}

/** A claim amount as typed: '' (none) or decimal yuan. */
export const amountProblem = (amount: string | undefined): boolean => filled(amount) && !YUAN.test(amount.trim());

/** Somewhere to serve a party: an address or a phone. Electronic-service consent needs it. */
export const reachable = (party: Party | undefined): boolean => party !== undefined && (filled(party.address) || filled(party.phone));

/** Why consent to electronic service cannot be given yet, or null. */
export function consentBlocker(draft: DraftFiling): 'plaintiffContact' | 'serviceAddress' | null {
  if (!(draft.plaintiffs ?? []).every(reachable) || (draft.plaintiffs ?? []).length === 0) return 'plaintiffContact';
  const addresses = (draft.electronicService?.addresses ?? []).filter((address) => filled(address.value));
  return addresses.length === 0 ? 'serviceAddress' : null;
}

function cleanParty(party: Party): FilingInput['plaintiffs'][number] {
  const out: Record<string, unknown> = { kind: party.kind ?? 'person', name: (party.name ?? '').trim() };
  for (const key of ['idNumber', 'phone', 'address', 'domicile', 'legalRepresentative'] as const) {
    const value = party[key];
    if (filled(value)) out[key] = value.trim();
  }
  if (party.userId) out.userId = party.userId;
  return out as FilingInput['plaintiffs'][number];
}

/**
 * The filing to submit from the draft: empty optional answers dropped, the materials as uploaded. The
 * server checks it again (zod, then the rules); what is still missing comes back as its refusal.
 */
export function filingInputOf(draft: DraftFiling, materials: MaterialView[]): FilingInput {
  const service = draft.electronicService ?? {};
  const causeFacts = Object.fromEntries(Object.entries(draft.causeFacts ?? {}).filter(([, answer]) => filled(answer)).map(([id, answer]) => [id, answer.trim()]));
  const agent = draft.agent;
  return {
    courtId: draft.courtId ?? '',
    cause: (draft.cause ?? '') as CauseId,
    ...(draft.procedure ? { procedure: draft.procedure } : {}),
    plaintiffs: (draft.plaintiffs ?? []).map(cleanParty),
    defendants: (draft.defendants ?? []).map(cleanParty),
    ...(agent && agent.userId
      ? { agent: { userId: agent.userId, name: (agent.name ?? '').trim(), licenceNumber: (agent.licenceNumber ?? '').trim(), powerOfAttorneyMaterialId: agent.powerOfAttorneyMaterialId ?? '' } }
      : {}),
    claims: (draft.claims ?? [])
      .filter((claim) => filled(claim.text) || filled(claim.amount))
      .map((claim) => ({ text: (claim.text ?? '').trim(), ...(filled(claim.amount) ? { amount: claim.amount.trim() } : {}) })),
    facts: (draft.facts ?? '').trim(),
    causeFacts,
    ...(filled(draft.knewOn) ? { knewOn: draft.knewOn.trim() } : {}),
    jurisdiction: {
      basis: draft.jurisdiction?.basis ?? 'defendantDomicile',
      place: (draft.jurisdiction?.place ?? '').trim(),
      ...(filled(draft.jurisdiction?.clause) ? { clause: draft.jurisdiction.clause.trim() } : {}),
    },
    evidence: (draft.evidence ?? [])
      .filter((item) => filled(item.name))
      .map((item) => ({ name: (item.name ?? '').trim(), purpose: (item.purpose ?? '').trim(), ...(item.materialId ? { materialId: item.materialId } : {}) })),
    electronicService: {
      consent: service.consent === true,
      addresses: (service.addresses ?? []).filter((address) => filled(address.value)).map((address) => ({ kind: address.kind, value: address.value.trim() })),
    },
    materials: materials.map((m) => ({ id: m.id, type: m.type, name: m.name, pages: m.pages, mimeType: m.mimeType })),
  };
}

/** The first segment of a filing path (as a rule names it) → the form step where it is answered. */
const STEP_OF_FIELD: Record<string, FilingStep> = {
  courtId: 'court',
  cause: 'court',
  procedure: 'court',
  causeFacts: 'questions',
  knewOn: 'questions',
  plaintiffs: 'parties',
  defendants: 'parties',
  agent: 'parties',
  claims: 'claims',
  facts: 'claims',
  evidence: 'evidence',
  jurisdiction: 'evidence',
  electronicService: 'service',
  materials: 'materials',
};

/** Where a returned filing's field (e.g. 'plaintiffs.1.idNumber') is corrected; unknown paths land on the review. */
export const stepOfField = (field: string): FilingStep => STEP_OF_FIELD[field.split('.')[0] ?? ''] ?? 'review';

/** Whether a rule's field concerns the input at `path` (the same field, or one inside the other). */
export const fieldConcerns = (field: string, path: string): boolean => field === path || path.startsWith(`${field}.`) || field.startsWith(`${path}.`);
