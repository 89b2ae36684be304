// Ids are uuids; a malformed id can name no row, so look-ups answer "not found" instead of
// letting Postgres fail on the cast (22P02).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
