// A one-machine install (embedded mode: `npm start`, the demo) has nobody to run `ecourt ca init`, yet its
// stage hooks must seal what they issue: the first start makes the node's court CA and gives every court
// of the platform a court seal bearing its name. A server install keeps the CA in the court's own hands
// (`ecourt ca init` / `ecourt ca issue`): there nothing is made, and without a CA nothing is issued.
import { createHash } from 'node:crypto';
import type { Logger } from '../../platform/logger.ts';
import type { Db } from '../../storage/database.ts';
import { listCourts } from '../../storage/courts/list-courts.ts';
import type { CourtCa } from '../ca/court-ca.ts';

/** The CA's court code: only digits and capitals (京0105 → 0105); a digest when nothing is left. */
function caCourtCode(code: string): string {
  const kept = code.toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 24);
  return kept || createHash('sha256').update(code).digest('hex').slice(0, 12).toUpperCase();
}

/** Makes the CA (for the first court) and the court seals still missing; returns the seal ids it issued. */
export async function ensureCourtSeals({ ca, db, logger }: { ca: CourtCa; db: Db; logger: Logger }): Promise<string[]> {
  const courts = await listCourts({ db });
  if (courts.length === 0) return [];
  if (!ca.initialised) {
    ca.init({ court: courts[0]!.name, courtCode: caCourtCode(courts[0]!.code) });
    logger.info('court CA created for the embedded node', { dir: ca.dir, court: courts[0]!.name });
  }
  const issued: string[] = [];
  const certificates = ca.list().certificates;
  const taken = new Set(certificates.map((entry) => entry.id));
  for (const court of courts) {
    if (certificates.some((entry) => entry.kind === 'court-seal' && entry.name === court.name && !entry.revokedAt)) continue;
    // `court` for the first, as `ecourt seal` and the case file expect; then court-2, court-3 …
    let id = 'court';
    for (let n = 2; taken.has(id); n++) id = `court-${n}`;
    ca.issue({ id, kind: 'court-seal', name: court.name });
    taken.add(id);
    issued.push(id);
    logger.info('court seal issued for the embedded node', { sealId: id, court: court.name });
  }
  return issued;
}
