// 实名核验 of an existing account: asks the real-name adapter about the account's name and document
// and records its verdict as a 'real_name' identity check (with its audit row) in one transaction.
// For accounts made outside registration (the demo court, test fixtures, migrated accounts);
// registration itself verifies inside its own transaction (register-account.ts).
import type { IdType } from '../../platform/identity/check-id-number.ts';
import type { RealNameVerifier } from '../../platform/identity/real-name-verifier.ts';
import type { AuditActor } from '../audit/write-audit.ts';
import type { Db } from '../database.ts';
import { recordIdentityCheck, type IdentityCheckRecord } from './record-identity-check.ts';

export interface VerifyRealNameOptions {
  db: Db;
  userId: string;
  claim: { name: string; idType: IdType; idNumber: string };
  verifier: RealNameVerifier;
  actor: AuditActor;
}

export async function verifyRealName({ db, userId, claim, verifier, actor }: VerifyRealNameOptions): Promise<IdentityCheckRecord> {
  // The adapter may call a registry: asked before the transaction opens, so no row lock waits on it.
  const verdict = await verifier.verify(claim);
  return db.transaction((tx) =>
    recordIdentityCheck({
      tx,
      userId,
      kind: 'real_name',
      adapter: verdict.adapter,
      outcome: verdict.outcome,
      details: { checks: verdict.checks, ...(verdict.limits ? { limits: verdict.limits } : {}), idType: claim.idType },
      actor,
    }),
  );
}
