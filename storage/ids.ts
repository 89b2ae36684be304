import { createHash } from 'node:crypto';

// Ids are uuids; a malformed id can name no row, so look-ups answer "not found" instead of
// letting Postgres fail on the cast (22P02).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * A uuid (version 5 layout) named by `name`: the same name gives the same id on every node, so a row
 * meant to exist once (e.g. the version a transcript is frozen as) is inserted once however many try.
 */
export function uuidNamedBy(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
