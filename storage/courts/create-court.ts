// Registers a court of the city (法院). Its code must be unique: it appears in every case number.
import { ConflictError } from '../../platform/errors.ts';
import type { Db } from '../database.ts';
import { uniqueViolationOf } from '../database-errors.ts';
import { courts } from '../schema.ts';
import { writeAudit, type AuditActor } from '../audit/write-audit.ts';
import { toCourt, type Court } from './court.ts';

export interface CreateCourtOptions {
  db: Db;
  court: { code: string; name: string; nameEn: string; region: string; timeZone?: string };
  actor: AuditActor;
}

export async function createCourt({ db, court, actor }: CreateCourtOptions): Promise<Court> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(courts).values(court).returning();
      if (!row) throw new Error('insert into courts returned no row');
      await writeAudit(tx, {
        actor,
        action: 'court.create',
        subjectKind: 'court',
        subjectId: row.id,
        detail: { code: row.code, name: row.name },
      });
      return toCourt(row);
    });
  } catch (error) {
    if (uniqueViolationOf(error)) throw new ConflictError(`A court with code ${court.code} already exists`, { cause: error });
    throw error;
  }
}
