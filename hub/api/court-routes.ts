// GET /api/v1/courts: the courts of the platform (public: the filing form needs them before sign-in).
import { z } from 'zod';
import { listCourts } from '../../storage/courts/list-courts.ts';
import { publicAccess } from '../auth/access.ts';
import { defineRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';
import { courtSchema } from './schemas.ts';

export const listCourtsRoute = defineRoute({
  method: 'get',
  path: paths.courts,
  operationId: 'listCourts',
  summary: 'Courts served by the platform',
  tags: ['courts'],
  access: publicAccess,
  response: z.object({ courts: z.array(courtSchema) }),
  async handle({ services }) {
    const courts = await listCourts({ db: services.database.db });
    return { courts: courts.map(({ id, code, name, nameEn }) => ({ id, code, name, nameEn })) };
  },
});
