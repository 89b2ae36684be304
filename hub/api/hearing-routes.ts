// GET /api/v1/hearings: hearings of the cases the caller may see, soonest first.
import { z } from 'zod';
import { listVisibleHearings } from '../../storage/hearings/list-visible-hearings.ts';
import { anySignedIn } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { defineRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';
import { hearingListingSchema } from './schemas.ts';
import { transcriptDocName } from '../collab/doc-names.ts';

export const listHearingsRoute = defineRoute({
  method: 'get',
  path: paths.hearings,
  operationId: 'listHearings',
  summary: 'Hearings visible to the caller',
  tags: ['hearings'],
  access: anySignedIn,
  query: z.object({
    from: z.iso.datetime({ offset: true }).optional().describe('Only hearings starting at or after this instant'),
  }),
  response: z.object({ hearings: z.array(hearingListingSchema) }),
  async handle({ session, query, services }) {
    const viewer = session as Session;
    const hearings = await listVisibleHearings({
      db: services.database.db,
      viewer: { userId: viewer.userId, role: viewer.role, courtId: viewer.courtId },
      ...(query.from ? { from: new Date(query.from) } : {}),
    });
    return { hearings: hearings.map((hearing) => ({ ...hearing, transcriptDoc: transcriptDocName(hearing.caseId, hearing.id) })) };
  },
});
