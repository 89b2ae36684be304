// An accepted online filing as the case actor's FILE takes it (CaseFiling) and as the 立案回执 prints
// it: the cause's name from the catalogue, the claims numbered into one text with their total, the
// parties with their identifiers. Pure, so the mapping is tested without a database.
import type { CaseFiling, PartyInput } from '../../actors/case/case.protocol.ts';
import { CAUSES } from '../../models/filing-rules/causes.ts';
import type { FilingInput, FilingParty } from '../../models/filing-rules/filing.ts';

const CLAIMS_MAX = 5000;

/** Sum of decimal yuan strings, exact (in fen). */
export function totalYuan(amounts: readonly string[]): string {
  let fen = 0n;
  for (const amount of amounts) {
    const [whole, fraction = ''] = amount.split('.');
    fen += BigInt(whole!) * 100n + BigInt((fraction + '00').slice(0, 2));
  }
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

function partyOf(party: FilingParty): PartyInput {
  return {
    name: party.name,
    kind: party.kind,
    ...(party.userId ? { userId: party.userId } : {}),
    // The case keeps identifiers of 4–40 characters; a shorter one is no identifier to keep.
    ...(party.idNumber && party.idNumber.length >= 4 ? { idNumber: party.idNumber } : {}),
    ...(party.phone ? { phone: party.phone } : {}),
    ...(party.address ? { address: party.address } : party.domicile ? { address: party.domicile } : {}),
  };
}

/** The claims as the case lists them: "1. …（人民币12000.00元）" one per line. */
export function claimsText(filing: FilingInput): string {
  const text = filing.claims.map((claim, index) => `${index + 1}. ${claim.text}${claim.amount ? `（人民币${claim.amount}元）` : ''}`).join('\n');
  return text.length <= CLAIMS_MAX ? text : `${text.slice(0, CLAIMS_MAX - 1)}…`;
}

export function caseFilingOf(filing: FilingInput): CaseFiling {
  const amounts = filing.claims.flatMap((claim) => (claim.amount ? [claim.amount] : []));
  return {
    courtId: filing.courtId,
    cause: CAUSES[filing.cause].name,
    claims: claimsText(filing),
    ...(amounts.length > 0 ? { claimAmount: totalYuan(amounts) } : {}),
    facts: filing.facts.slice(0, 20000),
    plaintiffs: filing.plaintiffs.map(partyOf),
    defendants: filing.defendants.map(partyOf),
  };
}

/** A party as a court document addresses it; the address the filing gave, else its domicile. */
export function receiptPartyOf(party: FilingParty): { name: string; kind: 'person' | 'organisation'; address: string } {
  return { name: party.name, kind: party.kind, address: party.address ?? party.domicile ?? '（未填写）' };
}
