// The data of each document a stage issues, from the case as stored (storage/documents/case-issuing-facts.ts).
// Only what the case says: a missing fact (a party's address, the case number, the amount claimed for the
// judgment) stays missing, and the template's validation names it — the document is then
// refused, not issued with a blank. Dates are the court's calendar days (UTC+8) of the journalled transitions.
import { addresseeKey, type CaseIssuingFacts, type IssuingHearing, type IssuingParty } from '../../storage/documents/case-issuing-facts.ts';
import type { TemplateName } from '../templates/index.ts';
import { caseAcceptanceFee, yuanToFen } from '../../models/filing-rules/fee-schedule.ts';
import { CAUSES } from '../../models/filing-rules/causes.ts';
import { readJudgmentSummary } from './judgment-summary.ts';
import { SERVICE_METHODS } from '../templates/proof-of-service.ts';

/** 举证期限: at least 15 days in first-instance ordinary procedure (最高法《民诉法解释》第99条); the minimum is used. */
export const EVIDENCE_PERIOD_DAYS = 15;

const DAY_MS = 86_400_000;
const COURT_OFFSET_MS = 8 * 3_600_000;

/** The court's calendar day (UTC+8) of a moment. */
export const courtDay = (at: Date): string => new Date(at.getTime() + COURT_OFFSET_MS).toISOString().slice(0, 10);
const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** A moment as the templates print it, with the court's offset. */
const courtDateTime = (at: Date): string => `${new Date(at.getTime() + COURT_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;

/** A party as the templates take it; an address not on file is left out, for the template to name. */
function templateParty(party: IssuingParty): Record<string, unknown> {
  return { name: party.name, kind: party.kind, ...(party.address ? { address: party.address } : {}) };
}

const side = (facts: CaseIssuingFacts, which: string) => facts.parties.filter((party) => party.side === which).map(templateParty);

/** What every document of the case starts from; absent facts are left out. */
function caseHeader(facts: CaseIssuingFacts): Record<string, unknown> {
  return { courtName: facts.courtName, cause: facts.cause, ...(facts.caseNumber ? { caseNumber: facts.caseNumber } : {}) };
}

/**
 * 案件受理费 by 《诉讼费用交纳办法》 (models/filing-rules/fee-schedule.ts): the fee notice's when the case came from an online
 * filing (worked out for its procedure); otherwise by the cause and the amount claimed, the ordinary procedure's full fee
 * (such cases carry no procedure yet).
 */
function fee(facts: CaseIssuingFacts) {
  if (facts.filingFee !== null) return { caseFee: facts.filingFee };
  const category = Object.values(CAUSES).find((cause) => cause.name === facts.cause)?.feeCategory ?? 'property';
  const claimFen = facts.claimAmount ? yuanToFen(facts.claimAmount) : null;
  return { caseFee: caseAcceptanceFee({ claimFen, procedure: 'ordinary', category }).fee };
}
const day = (at: Date | null, field: string) => (at ? { [field]: courtDay(at) } : {});

export interface StageDocument {
  template: TemplateName;
  hearingId: string | null;
  /** The party it is addressed to when it goes to one party ('defendants.0' …, addresseeKey); absent otherwise. */
  addressee?: string;
  /**
   * A document to one party holds that party alone ('summoned', 'defendants.0'); a refusal names the field by the
   * party's place in the case instead ('defendants.1.address'), as the documents listing every party do.
   */
  partyField?: { template: string; case: string };
  data: unknown;
  /** The listed title when it is not the template's own. */
  title?: string;
  details?: Record<string, unknown>;
}

/** 受理 → 受理通知书 (to the plaintiffs), an 应诉通知书 to each defendant, 举证通知书 (to every party). */
export function acceptanceDocuments(facts: CaseIssuingFacts): StageDocument[] {
  const accepted = facts.acceptedAt ? courtDay(facts.acceptedAt) : undefined;
  const plaintiffs = side(facts, 'plaintiff');
  const defendants = side(facts, 'defendant');
  return [
    {
      template: 'acceptanceNotice',
      hearingId: null,
      data: { ...caseHeader(facts), plaintiffs, defendants, ...day(facts.filedAt, 'filedOn'), ...day(facts.acceptedAt, 'acceptedOn'), ...day(facts.acceptedAt, 'issuedOn'), ...fee(facts) },
    },
    // One 应诉通知书 per defendant, addressed to it alone (each answers for itself, within its own period).
    ...facts.parties
      .filter((party) => party.side === 'defendant')
      .map(
        (defendant): StageDocument => ({
          template: 'noticeToRespond',
          hearingId: null,
          addressee: addresseeKey(defendant),
          partyField: { template: 'defendants.0', case: addresseeKey(defendant) },
          data: { ...caseHeader(facts), plaintiffs, defendants: [templateParty(defendant)], ...day(facts.acceptedAt, 'acceptedOn'), ...day(facts.acceptedAt, 'issuedOn') },
          details: { addressedTo: defendant.name },
        }),
      ),
    {
      template: 'evidenceNotice',
      hearingId: null,
      data: {
        ...caseHeader(facts),
        recipients: [...plaintiffs, ...defendants],
        ...(accepted ? { issuedOn: accepted, evidenceDeadline: addDays(accepted, EVIDENCE_PERIOD_DAYS) } : {}),
      },
      details: { evidencePeriodDays: EVIDENCE_PERIOD_DAYS },
    },
  ];
}

/** The parties a 传票 summons to a hearing: every plaintiff and every defendant, in the complaint's order. */
const summonedParties = (facts: CaseIssuingFacts) => [...facts.parties.filter((party) => party.side === 'plaintiff'), ...facts.parties.filter((party) => party.side === 'defendant')];

/** 排期 → a 传票 for the hearing to one party, addressed to it (one per hearing and party, migration 0014). */
export function summonsDocument(facts: CaseIssuingFacts, hearing: IssuingHearing, issuedAt: Date, summoned: IssuingParty): StageDocument {
  return {
    template: 'summons',
    hearingId: hearing.id,
    addressee: addresseeKey(summoned),
    partyField: { template: 'summoned', case: addresseeKey(summoned) },
    data: {
      ...caseHeader(facts),
      summoned: templateParty(summoned),
      hearingAt: courtDateTime(hearing.startsAt),
      place: hearing.courtroom,
      issuedOn: courtDay(issuedAt),
    },
    details: { summoned: summoned.name, addressedTo: summoned.name, startsAt: hearing.startsAt.toISOString(), courtroom: hearing.courtroom },
  };
}

/** 排期 → 传票 for the hearing: the court summons every party, one each; one without an address is refused alone. */
export function summonsDocuments(facts: CaseIssuingFacts, hearing: IssuingHearing, issuedAt: Date): StageDocument[] {
  return summonedParties(facts).map((party) => summonsDocument(facts, hearing, issuedAt, party));
}

/** 宣判 → 民事判决书, its parts from the judge's text (judgment-summary.ts), the fee as at acceptance. */
export function judgmentDocument(facts: CaseIssuingFacts): StageDocument {
  const parts = readJudgmentSummary(facts.closingSummary ?? '');
  const issued = facts.judgmentAt ? courtDay(facts.judgmentAt) : undefined;
  // 开庭日期: the last hearing the case recorded as held — no later than the judgment: a hearing recorded as held
  // before its scheduled start (brought forward) took place by the time the judgment was given.
  const heard = facts.hearings.filter((hearing) => hearing.state === 'held').at(-1);
  const heardAt = heard && facts.judgmentAt && facts.judgmentAt < heard.startsAt ? facts.judgmentAt : heard?.startsAt;
  const claims = facts.claims.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length >= 2);
  return {
    template: 'civilJudgment',
    hearingId: null,
    data: {
      ...caseHeader(facts),
      plaintiffs: side(facts, 'plaintiff'),
      defendants: side(facts, 'defendant'),
      ...day(facts.acceptedAt, 'acceptedOn'),
      ...(heardAt ? { hearingOn: courtDay(heardAt) } : {}),
      ...(issued ? { issuedOn: issued } : {}),
      claims,
      ...parts,
      ...fee(facts),
      ...(facts.judgmentBy ? { panel: [{ title: '审判员', name: facts.judgmentBy }] } : {}),
      ...(facts.clerks[0] ? { clerk: { name: facts.clerks[0] } } : {}),
    },
  };
}

/** 电子送达 (《民事诉讼法》第九十条): the judgment reached the parties through the platform, where they read it. */
export const ELECTRONIC_SERVICE: (typeof SERVICE_METHODS)[number] = '电子送达';

const JUDGMENT_TITLE = '民事判决书';
/** The kinds a party is served with; the others (庭审笔录, 立案回执, 送达回证, a filer's own papers) are not served. */
const SERVED_KINDS = new Set(['acceptanceNotice', 'noticeToRespond', 'evidenceNotice', 'summons', 'civilJudgment']);

/**
 * The court documents a party has been served with through the platform: those addressed to it, and those to the
 * case as a whole that go to its side (the 受理通知书 to the plaintiffs only) — not the hearing transcript, the
 * filing receipt or an earlier 送达回证. Only what was issued by the time service was recorded (a later document
 * was not part of it), the 民事判决书 always: service is recorded for it, even when the pass that records this
 * 回证 is the one issuing the judgment. By title, each once, in the order issued.
 */
export function documentsServedTo(facts: CaseIssuingFacts, party: IssuingParty): string[] {
  const key = addresseeKey(party);
  const servedAt = facts.servedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const titles = facts.issuedDocuments
    .filter((document) => SERVED_KINDS.has(document.kind) && document.issuedAt.getTime() <= servedAt)
    .filter((document) => (document.addressee === null ? document.kind !== 'acceptanceNotice' || party.side === 'plaintiff' : document.addressee === key))
    .map((document) => document.title);
  return [...new Set([...titles, JUDGMENT_TITLE])];
}

/**
 * 送达 recorded → a 送达回证 to one party, addressed to it: electronic service through the platform, on the moment
 * RECORD_SERVICE was journalled, signed for by the party itself (受送达人本人, through its platform account), served by
 * the clerk or judge who recorded it. A party without an address is refused alone.
 */
export function proofOfServiceDocument(facts: CaseIssuingFacts, party: IssuingParty): StageDocument {
  const served = facts.servedAt;
  return {
    template: 'proofOfService',
    hearingId: null,
    addressee: addresseeKey(party),
    partyField: { template: 'recipient', case: addresseeKey(party) },
    data: {
      ...caseHeader(facts),
      documentsServed: documentsServedTo(facts, party),
      recipient: templateParty(party),
      method: ELECTRONIC_SERVICE,
      ...(served ? { issuedOn: courtDay(served), servedAt: courtDateTime(served) } : {}),
      receivedBy: party.name,
      ...(facts.servedBy ? { server: facts.servedBy } : {}),
      remarks: '经电子诉讼平台送达',
    },
    details: { addressedTo: party.name, method: ELECTRONIC_SERVICE, ...(served ? { servedAt: served.toISOString() } : {}) },
  };
}

/** 送达 → a 送达回证 per plaintiff and defendant, one each (as the 传票 go). */
export function proofOfServiceDocuments(facts: CaseIssuingFacts): StageDocument[] {
  return summonedParties(facts).map((party) => proofOfServiceDocument(facts, party));
}

/** A refusal's field as the case names it: the one party's field in a document to that party by its place in the case. */
export function caseFieldOf(due: Pick<StageDocument, 'partyField'>, field: string): string {
  const party = due.partyField;
  if (!party) return field;
  if (field === party.template) return party.case;
  return field.startsWith(`${party.template}.`) ? `${party.case}${field.slice(party.template.length)}` : field;
}

/** The documents the case's stage calls for by now (what reconciling checks). */
export function documentsDue(facts: CaseIssuingFacts): StageDocument[] {
  const due: StageDocument[] = [];
  if (facts.acceptedAt && facts.caseNumber) due.push(...acceptanceDocuments(facts));
  for (const hearing of facts.hearings) {
    if (hearing.state === 'scheduled') due.push(...summonsDocuments(facts, hearing, hearing.createdAt));
  }
  if (facts.judgmentAt) due.push(judgmentDocument(facts));
  if (facts.servedAt) due.push(...proofOfServiceDocuments(facts));
  return due;
}

export type { TemplateName };
