// Whether an ID-card front read from a photo is the account's own card: the name and the number read
// must be there and equal what the account was opened with (readIdCard was given them as `typed`, and
// flags TYPED_MISMATCH otherwise), and the number must hold by its own rules. What is kept of the
// reading is confidences and flag codes only (storage/identity/record-id-card-check.ts).
import type { IdCardReading } from '../../models/ocr/read-idcard.ts';
import type { IdCardCheckField, IdCardCheckVerdict } from '../../storage/identity/record-id-card-check.ts';

const NUMBER_RULES = new Set(['ID_CHECK_DIGIT', 'ID_REGION', 'ID_BIRTH_DATE', 'ID_LENGTH', 'ID_FORMAT']);

export function idCardVerdict(reading: IdCardReading, adapter: string, imageSha256: string): IdCardCheckVerdict {
  const fields: Record<string, IdCardCheckField> = {};
  for (const [key, field] of Object.entries(reading.fields)) {
    fields[key] = { read: field.value !== null, confidence: field.confidence, flags: field.reasons.map((reason) => reason.code) };
  }
  const matched = (key: string, also: (flags: string[]) => boolean = () => true) =>
    fields[key] !== undefined && fields[key].read && !fields[key].flags.includes('TYPED_MISMATCH') && also(fields[key].flags);
  const matches = { name: matched('name'), idNumber: matched('idNumber', (flags) => !flags.some((flag) => NUMBER_RULES.has(flag))) };
  return { outcome: matches.name && matches.idNumber ? 'passed' : 'failed', adapter, fields, matches, imageSha256 };
}
