// 立案草稿: what the guided filing form has so far, saved as the filer types. A draft is a partial
// FilingInput: every field optional and checked only for its type and size (the filing's own rules run
// at submission), so half-typed answers are kept. ID numbers and phones are sealed at rest.
import { z } from 'zod';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { JURISDICTION_BASES, MATERIAL_TYPES, PROCEDURES } from '../../models/filing-rules/filing.ts';

const loose = (max: number) => z.string().max(max);

const draftParty = z.object({
  kind: z.enum(['person', 'organisation']).optional(),
  name: loose(100).optional(),
  idNumber: loose(40).optional(),
  phone: loose(30).optional(),
  address: loose(300).optional(),
  domicile: loose(100).optional(),
  userId: z.uuid().optional(),
  legalRepresentative: loose(100).optional(),
});

/** The form's answers so far (a FilingInput with every field optional). */
export const draftFiling = z.object({
  courtId: z.uuid().optional(),
  /** A cause id of models/filing-rules/causes.ts; checked against the catalogue at submission. */
  cause: loose(40).optional(),
  procedure: z.enum(PROCEDURES).optional(),
  plaintiffs: z.array(draftParty).max(50).optional(),
  defendants: z.array(draftParty).max(50).optional(),
  agent: z
    .object({ userId: z.uuid().optional(), name: loose(100).optional(), licenceNumber: loose(40).optional(), powerOfAttorneyMaterialId: z.uuid().optional() })
    .optional(),
  claims: z.array(z.object({ text: loose(2000).optional(), amount: loose(24).optional() })).max(50).optional(),
  facts: loose(20000).optional(),
  causeFacts: z.record(loose(60), loose(2000)).optional(),
  knewOn: loose(10).optional(),
  jurisdiction: z.object({ basis: z.enum(JURISDICTION_BASES).optional(), place: loose(100).optional(), clause: loose(2000).optional() }).optional(),
  evidence: z.array(z.object({ name: loose(200).optional(), purpose: loose(1000).optional(), materialId: z.uuid().optional() })).max(500).optional(),
  electronicService: z
    .object({
      consent: z.boolean().optional(),
      addresses: z.array(z.object({ kind: z.enum(['phone', 'email', 'platform']), value: loose(200) })).max(10).optional(),
    })
    .optional(),
  materials: z
    .array(z.object({ id: z.uuid(), type: z.enum(MATERIAL_TYPES), name: loose(200), pages: z.number().int().min(1), mimeType: loose(100) }))
    .max(500)
    .optional(),
});
export type DraftFiling = z.infer<typeof draftFiling>;
type DraftParty = z.infer<typeof draftParty>;

/** Where the form was (its step id), so a reload opens there. */
export const draftStep = z.string().regex(/^[a-zA-Z]{1,40}$/);

export interface FilingDraft {
  id: string;
  courtId: string | null;
  cause: string | null;
  step: string | null;
  filing: DraftFiling;
  createdAt: Date;
  updatedAt: Date;
}

export interface FilingDraftSummary {
  id: string;
  courtId: string | null;
  cause: string | null;
  step: string | null;
  updatedAt: Date;
}

/** A party as stored: the identifiers replaced by their sealed form. */
type StoredParty = Omit<DraftParty, 'idNumber' | 'phone'> & { idNumberSealed?: string; phoneSealed?: string };

function sealParty(cipher: PersonalDataCipher, { idNumber, phone, ...rest }: DraftParty): StoredParty {
  return { ...rest, ...(idNumber ? { idNumberSealed: cipher.seal(idNumber) } : {}), ...(phone ? { phoneSealed: cipher.seal(phone) } : {}) };
}

function openParty(cipher: PersonalDataCipher, { idNumberSealed, phoneSealed, ...rest }: StoredParty): DraftParty {
  return { ...rest, ...(idNumberSealed ? { idNumber: cipher.open(idNumberSealed) } : {}), ...(phoneSealed ? { phone: cipher.open(phoneSealed) } : {}) };
}

/** The draft as the `data` column keeps it: ID numbers, phones and phone service addresses sealed. */
export function sealDraft(cipher: PersonalDataCipher, filing: DraftFiling, step: string | null): Record<string, unknown> {
  const addresses = filing.electronicService?.addresses?.map((address) =>
    address.kind === 'phone' ? { kind: address.kind, valueSealed: cipher.seal(address.value) } : address,
  );
  const sealed = {
    ...filing,
    ...(filing.plaintiffs ? { plaintiffs: filing.plaintiffs.map((party) => sealParty(cipher, party)) } : {}),
    ...(filing.defendants ? { defendants: filing.defendants.map((party) => sealParty(cipher, party)) } : {}),
    ...(filing.electronicService ? { electronicService: { ...filing.electronicService, ...(addresses ? { addresses } : {}) } } : {}),
  };
  return { v: 1, step, filing: sealed };
}

/** The stored `data` back to the form's answers. */
export function openDraft(cipher: PersonalDataCipher, data: Record<string, unknown>): { filing: DraftFiling; step: string | null } {
  const stored = (data.filing ?? {}) as Record<string, unknown> & {
    plaintiffs?: StoredParty[];
    defendants?: StoredParty[];
    electronicService?: { consent?: boolean; addresses?: ({ kind: 'phone' | 'email' | 'platform'; value?: string; valueSealed?: string })[] };
  };
  const service = stored.electronicService;
  const filing = {
    ...stored,
    ...(stored.plaintiffs ? { plaintiffs: stored.plaintiffs.map((party) => openParty(cipher, party)) } : {}),
    ...(stored.defendants ? { defendants: stored.defendants.map((party) => openParty(cipher, party)) } : {}),
    ...(service
      ? {
          electronicService: {
            ...service,
            ...(service.addresses
              ? { addresses: service.addresses.map(({ kind, value, valueSealed }) => ({ kind, value: valueSealed ? cipher.open(valueSealed) : (value ?? '') })) }
              : {}),
          },
        }
      : {}),
  } as DraftFiling;
  return { filing, step: typeof data.step === 'string' ? data.step : null };
}
