// RFC 4122 v4 ids for document items, the same in the hub and in the browser (the models are shared).
// crypto.randomUUID exists only in secure contexts and court intranets may serve plain http, so the
// browser falls back to getRandomValues, which every context has.
export function newUuid(): string {
  const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext ?? true;
  if (typeof globalThis.crypto.randomUUID === 'function' && secure) return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
