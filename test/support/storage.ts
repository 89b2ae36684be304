// Helpers for storage tests: a migrated database on either engine, a throwaway cipher, and
// builders for case actor journal records in the shape the case actor produces.
import { randomBytes, randomUUID } from 'node:crypto';
import type { JournalRecord } from '../../actors/runtime/types.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from '../../platform/personal-data.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { migrateDatabase } from '../../storage/migrate.ts';
import { createTestDatabase } from './services.ts';

export interface OpenedTestDatabase {
  database: Database;
  /** Postgres URL of the database when on Postgres (for opening a second pool on it). */
  url?: string;
  dispose(): Promise<void>;
}

export async function openMigratedPglite(): Promise<OpenedTestDatabase> {
  const database = await openDatabase({ inMemory: true });
  await migrateDatabase(database);
  return { database, dispose: () => database.close() };
}

export async function openMigratedPostgres(): Promise<OpenedTestDatabase> {
  const fresh = await createTestDatabase('ecourt_storage');
  const database = await openDatabase({ databaseUrl: fresh.url });
  await migrateDatabase(database);
  return {
    database,
    url: fresh.url,
    dispose: async () => {
      await database.close();
      await fresh.drop();
    },
  };
}

export const testCipher = (): PersonalDataCipher => createPersonalDataCipher(randomBytes(32));

/** A case actor journal record: `event.by` is the sender, `at` defaults to now. */
export function caseRecord(
  caseId: string,
  seq: number,
  state: string,
  event: { type: string; by: { userId: string; role: string } } & Record<string, unknown>,
  at = new Date().toISOString(),
): JournalRecord {
  return { kind: 'case', id: caseId, seq, event, state, context: { seq }, at };
}

export const newId = (): string => randomUUID();
