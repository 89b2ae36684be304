// GET /healthz: is this node able to serve? (database reachable, bus connected). 503 when not.
import { z } from 'zod';
import { publicAccess } from '../auth/access.ts';
import { defineRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ ok: z.boolean() }),
  bus: z.object({ ok: z.boolean(), kind: z.enum(['in-process', 'nats']) }),
});

export const healthRoute = defineRoute({
  method: 'get',
  path: paths.healthz,
  operationId: 'health',
  summary: 'Health of this node (database and bus)',
  tags: ['operations'],
  access: publicAccess,
  response: healthSchema,
  statusOf: (body) => (body.status === 'ok' ? 200 : 503),
  async handle({ services, logger }) {
    const [database, bus] = await Promise.all([
      services.database.ping().catch(() => false),
      services.bus.health().catch((error: unknown) => {
        logger.warn('bus health check failed', { error });
        return { ok: false, kind: services.config.NATS_URL ? ('nats' as const) : ('in-process' as const) };
      }),
    ]);
    return {
      status: database && bus.ok ? ('ok' as const) : ('degraded' as const),
      database: { ok: database },
      bus: { ok: bus.ok, kind: bus.kind },
    };
  },
});
