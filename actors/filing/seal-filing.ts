// A filing's personal identifiers (ID numbers, phones, service addresses) sealed before the filing is
// journalled, and opened again where the clear value is needed (the case actor's FILE seals them
// anew with its own events). Like the case actor's FILE: no identifier reaches the journal in clear.
import type { FilingInput, FilingParty } from '../../models/filing-rules/filing.ts';
import { maskIdentifier, type PersonalDataCipher } from '../../platform/personal-data.ts';
import type { SealedFiling, SealedFilingParty } from './filing-review.machine.ts';

function sealParty(party: FilingParty, cipher: PersonalDataCipher): SealedFilingParty {
  const { idNumber, phone, ...rest } = party;
  return {
    ...rest,
    ...(idNumber === undefined ? {} : { idNumberSealed: cipher.seal(idNumber) }),
    ...(phone === undefined ? {} : { phoneSealed: cipher.seal(phone) }),
  };
}

export function sealFiling(filing: FilingInput, cipher: PersonalDataCipher): SealedFiling {
  return {
    ...filing,
    plaintiffs: filing.plaintiffs.map((party) => sealParty(party, cipher)),
    defendants: filing.defendants.map((party) => sealParty(party, cipher)),
    electronicService: {
      consent: filing.electronicService.consent,
      addresses: filing.electronicService.addresses.map((address) => ({ kind: address.kind, valueSealed: cipher.seal(address.value) })),
    },
  };
}

function openParty(party: SealedFilingParty, cipher: PersonalDataCipher): FilingParty {
  const { idNumberSealed, phoneSealed, ...rest } = party;
  return {
    ...rest,
    ...(idNumberSealed === undefined ? {} : { idNumber: cipher.open(idNumberSealed) }),
    ...(phoneSealed === undefined ? {} : { phone: cipher.open(phoneSealed) }),
  };
}

/** The filing as submitted (identifiers in clear): for the case actor's FILE, never for a client. */
export function openFiling(filing: SealedFiling, cipher: PersonalDataCipher): FilingInput {
  return {
    ...filing,
    plaintiffs: filing.plaintiffs.map((party) => openParty(party, cipher)),
    defendants: filing.defendants.map((party) => openParty(party, cipher)),
    electronicService: {
      consent: filing.electronicService.consent,
      addresses: filing.electronicService.addresses.map((address) => ({ kind: address.kind, value: cipher.open(address.valueSealed) })),
    },
  };
}

export type MaskedFilingParty = Omit<FilingParty, 'idNumber' | 'phone'> & { idNumberMasked: string | null; phoneMasked: string | null };

function maskParty(party: SealedFilingParty, cipher: PersonalDataCipher): MaskedFilingParty {
  const { idNumberSealed, phoneSealed, ...rest } = party;
  return {
    ...rest,
    idNumberMasked: idNumberSealed === undefined ? null : maskIdentifier(cipher.open(idNumberSealed)),
    phoneMasked: phoneSealed === undefined ? null : maskIdentifier(cipher.open(phoneSealed)),
  };
}

/** The filing as clients see it: identifiers masked (first 6 + last 4 of an ID number, 3 + 4 of a phone). */
export function maskFiling(filing: SealedFiling, cipher: PersonalDataCipher) {
  return {
    ...filing,
    plaintiffs: filing.plaintiffs.map((party) => maskParty(party, cipher)),
    defendants: filing.defendants.map((party) => maskParty(party, cipher)),
    electronicService: {
      consent: filing.electronicService.consent,
      addresses: filing.electronicService.addresses.map((address) => ({
        kind: address.kind,
        value: address.kind === 'phone' ? maskIdentifier(cipher.open(address.valueSealed)) : cipher.open(address.valueSealed),
      })),
    },
  };
}
