// What the filing review actor reads from the database, bundled for its behaviour (platform/node.ts
// adds the cipher and the third-party checks).
import type { Db } from '../database.ts';
import { createFilingReferenceCheck } from '../journal/filing-references.ts';
import { getCurrentRuleSet } from '../filing-rule-sets/get-current-rule-set.ts';
import { getFilingCourtContext } from './filing-court-context.ts';
import { listPriorFilings } from './list-prior-filings.ts';
import { staffCourtOf } from './staff-court-of.ts';

export function filingReviewLookups(db: Db) {
  return {
    courtContext: (courtId: string) => getFilingCourtContext({ db, courtId }),
    // The court's newest version, else the platform default's, else the built-in set (F-QUEUE's rule set store).
    ruleSetOf: (courtId: string) => getCurrentRuleSet({ db, courtId }),
    priorFilings: (fingerprint: string, exceptFilingId: string) => listPriorFilings({ db, fingerprint, exceptFilingId }),
    staffCourtOf: (userId: string) => staffCourtOf({ db, userId }),
    checkFilingReferences: createFilingReferenceCheck(db),
  };
}
