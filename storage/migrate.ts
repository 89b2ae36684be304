// Applies the drizzle-kit migrations in storage/migrations (found next to this module, whatever
// the working directory). On Postgres an advisory lock keeps two nodes starting together from racing.
import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { Database } from './database.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any fixed 64-bit number shared by every node; "ecourt" in ASCII. */
const MIGRATION_LOCK_KEY = 0x65636f757274n;

export async function migrateDatabase(database: Database): Promise<void> {
  const driver = database.driver;
  if (driver.dialect === 'pglite') {
    // PGlite is one connection inside this process: nobody else can race us.
    await migratePglite(drizzlePglite({ client: driver.client }), { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  // The lock is held by this one connection, and the migration runs on that same connection.
  const client = await driver.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
}
