// Recognises Postgres errors on both drivers. drizzle wraps driver errors (DrizzleQueryError with
// `cause`), and pg and PGlite both expose the SQLSTATE as `code` and the violated `constraint`.
export const UNIQUE_VIOLATION = '23505';

export interface PostgresErrorFields {
  code: string;
  constraint?: string;
  /** e.g. 'Key (kind, actor_id, seq)=(case, 5b1…, 3) already exists.' */
  detail?: string;
}

/** The first error in the cause chain that carries a five-character SQLSTATE, if any. */
export function postgresErrorOf(error: unknown): PostgresErrorFields | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as { code?: unknown; constraint?: unknown; detail?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        ...(typeof candidate.constraint === 'string' ? { constraint: candidate.constraint } : {}),
        ...(typeof candidate.detail === 'string' ? { detail: candidate.detail } : {}),
      };
    }
    current = candidate.cause;
  }
  return null;
}

/** The violated unique constraint's name when `error` is a unique violation, else null. */
export function uniqueViolationOf(error: unknown): { constraint: string | undefined; detail: string | undefined } | null {
  const fields = postgresErrorOf(error);
  return fields?.code === UNIQUE_VIOLATION ? { constraint: fields.constraint, detail: fields.detail } : null;
}
