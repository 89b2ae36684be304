// The database handle: embedded PGlite (a data folder, or memory) or Postgres through a pg.Pool,
// both behind one drizzle type so use-cases do not care which one they run on.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { createLogger, type Logger } from '../platform/logger.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** A drizzle database on either driver. A transaction (`Tx`) is one too, so use-cases accept both. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** The driver beneath drizzle, for the few jobs that need a raw connection (migrations). */
export type DatabaseDriver = { dialect: 'pglite'; client: PGlite } | { dialect: 'postgres'; pool: pg.Pool };

export interface Database {
  db: Db;
  dialect: 'pglite' | 'postgres';
  driver: DatabaseDriver;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL: use Postgres. Wins over the other options. */
  databaseUrl?: string;
  /** Embedded mode: PGlite keeps its files in `${dataDir}/pglite`. */
  dataDir?: string;
  /** PGlite in memory (tests, benchmarks). */
  inMemory?: boolean;
  /** Where pool trouble is reported (an idle connection that died). Default: JSON lines on stderr. */
  logger?: Logger;
}

export class DatabaseOptionsError extends Error {
  constructor() {
    super('openDatabase needs databaseUrl, dataDir or inMemory: true');
    this.name = 'DatabaseOptionsError';
  }
}

const POOL_SIZE = 10;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.logger ?? createLogger({ base: { component: 'database' } }));
  if (options.inMemory) return openPglite(new PGlite());
  if (options.dataDir) {
    const dir = join(options.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    return openPglite(new PGlite(dir));
  }
  throw new DatabaseOptionsError();
}

async function openPglite(client: PGlite): Promise<Database> {
  await client.waitReady;
  const db = drizzlePglite({ client, schema });
  let closed = false;
  return {
    db,
    dialect: 'pglite',
    driver: { dialect: 'pglite', client },
    ping: () => pingWith(db),
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

async function openPostgres(url: string, logger: Logger): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  // An idle client losing its connection (server restart, pg_terminate_backend, DROP DATABASE …
  // WITH (FORCE)) is emitted on the pool; without a listener that 'error' event ends the process.
  // The pool has already discarded that client and the next query opens a new one, so only log it
  // (just the error's own fields: pg-pool hangs the whole Client object on it as `err.client`).
  pool.on('error', (error: Error & { code?: string }) => {
    logger.warn('idle database connection lost', { error: error.message, code: error.code });
  });
  const db = drizzlePostgres({ client: pool, schema });
  let closed = false;
  return {
    db,
    dialect: 'postgres',
    driver: { dialect: 'postgres', pool },
    ping: () => pingWith(db),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

async function pingWith(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
