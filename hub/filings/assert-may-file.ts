// 立案须实名: a party or lawyer files (POST /filings, POST /cases) only once a real-name check has passed,
// unless the court turned the rule off. One rule for both ways in, so they cannot drift apart.
import { AppError } from '../../platform/errors.ts';
import type { Role } from '../../platform/roles.ts';
import { hasPassedIdentityCheck } from '../../storage/identity/has-passed-identity-check.ts';
import type { Session } from '../auth/session-token.ts';
import type { HubServices } from '../services.ts';

/** People who file in their own name: institutions file through the court's own onboarding instead. */
const FILERS_NEEDING_REAL_NAME: readonly Role[] = ['party', 'lawyer'];

export async function assertMayFile(services: HubServices, caller: Session): Promise<void> {
  if (!services.config.ECOURT_FILING_REQUIRES_REAL_NAME || !FILERS_NEEDING_REAL_NAME.includes(caller.role)) return;
  if (await hasPassedIdentityCheck({ db: services.database.db, userId: caller.userId, kind: 'real_name' })) return;
  throw new AppError('IDENTITY_NOT_VERIFIED', 'Complete real-name verification before filing a case', {
    zh: '请先完成实名认证再提交立案申请',
    en: 'Complete real-name verification before filing a case',
  });
}
