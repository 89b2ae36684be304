// The complaint's data from the filer's answers (a draft of the guided form): the cause's name and its
// questions' labels from the catalogue, identifiers masked, the jurisdiction and service in words.
// What is missing is left missing, so the template's check names every field still to fill in.
import { CAUSES, type CauseId } from '../../models/filing-rules/causes.ts';
import type { JurisdictionBasis } from '../../models/filing-rules/filing.ts';
import { maskIdentifier } from '../../platform/personal-data.ts';
import type { DraftFiling } from '../../storage/filing-drafts/filing-draft.ts';

export const JURISDICTION_BASIS_TEXT: Record<JurisdictionBasis, string> = {
  defendantDomicile: '被告住所地',
  placeOfPerformance: '合同履行地',
  agreedClause: '协议管辖',
  placeOfTort: '侵权行为地',
  placeOfContractSigning: '合同签订地',
};

const present = (value: string | undefined): value is string => value !== undefined && value.trim().length > 0;
const isCause = (cause: string | undefined): cause is CauseId => cause !== undefined && Object.hasOwn(CAUSES, cause);

type DraftParty = NonNullable<DraftFiling['plaintiffs']>[number];

function party(p: DraftParty): Record<string, unknown> {
  return {
    name: p.name,
    kind: p.kind ?? 'person',
    ...(present(p.idNumber) ? { idNumberMasked: maskIdentifier(p.idNumber.trim()) } : {}),
    ...(present(p.phone) ? { phoneMasked: maskIdentifier(p.phone.trim()) } : {}),
    address: p.address,
  };
}

/** Template data for documents/templates/complaint.ts; `buildCourtDocument('complaint', …)` checks it. */
export function complaintDataFromFiling(filing: DraftFiling, options: { courtName: string; filedOn: string; signedAt?: string }): Record<string, unknown> {
  const cause = isCause(filing.cause) ? CAUSES[filing.cause] : undefined;
  const plaintiffs = filing.plaintiffs ?? [];
  const causeFacts = cause
    ? cause.questions.flatMap((question) => {
        const answer = filing.causeFacts?.[question.id];
        if (!present(answer)) return [];
        const choice = question.choices?.find((c) => c.value === answer);
        const unit = question.kind === 'yuan' ? '元' : question.kind === 'percent' ? '%' : '';
        return [{ label: question.label.zh.replace(/（[^）]*）$/, ''), value: choice ? choice.zh : `${answer.trim()}${unit}` }];
      })
    : [];
  const jurisdiction = filing.jurisdiction?.basis
    ? `${JURISDICTION_BASIS_TEXT[filing.jurisdiction.basis]}${present(filing.jurisdiction.place) ? `（${filing.jurisdiction.place.trim()}）` : ''}${
        present(filing.jurisdiction.clause) ? `，管辖约定：${filing.jurisdiction.clause.trim()}` : ''
      }`
    : undefined;
  const service = filing.electronicService?.consent
    ? (filing.electronicService.addresses ?? []).map((address) =>
        address.kind === 'phone' ? `手机 ${maskIdentifier(address.value.trim())}` : address.kind === 'email' ? `电子邮箱 ${address.value.trim()}` : `平台账户 ${address.value.trim()}`,
      )
    : undefined;
  return {
    courtName: options.courtName,
    cause: cause?.name ?? filing.cause,
    plaintiffs: plaintiffs.map(party),
    defendants: (filing.defendants ?? []).map(party),
    ...(filing.agent && present(filing.agent.name) && present(filing.agent.licenceNumber) ? { agent: { name: filing.agent.name, licenceNumber: filing.agent.licenceNumber } } : {}),
    claims: (filing.claims ?? []).map((claim) => ({ text: claim.text ?? '', ...(present(claim.amount) ? { amount: claim.amount.trim() } : {}) })),
    causeFacts,
    facts: filing.facts ?? '',
    ...(jurisdiction ? { jurisdiction } : {}),
    evidence: (filing.evidence ?? []).filter((item) => present(item.name)).map((item) => ({ name: item.name, purpose: item.purpose ?? '' })),
    ...(service && service.length > 0 ? { electronicService: service } : {}),
    signedBy: plaintiffs.map((p) => p.name ?? '').filter((name) => name.trim().length > 0).join('、'),
    filedOn: options.filedOn,
    ...(options.signedAt ? { signedAt: options.signedAt } : {}),
  };
}
