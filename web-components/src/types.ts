// The API's response shapes as the portal reads them: inferred from the hub's own response
// schemas (type-only imports, so neither zod nor server code enters the bundle).
import type { z } from 'zod';
import type { caseDetailSchema, caseSummarySchema, courtSchema, publicUserSchema } from '../../hub/api/schemas.ts';

export type Court = z.infer<typeof courtSchema>;
export type CaseSummary = z.infer<typeof caseSummarySchema>;
export type CaseDetail = z.infer<typeof caseDetailSchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;

export interface LoginReply {
  token: string;
  user: PublicUser;
}
