// drizzle-kit configuration: migrations are generated from the schema files into storage/migrations
// (`npx drizzle-kit generate`, no database needed) and applied at start by storage/migrate.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./storage/schema.ts', './storage/collab/schema.ts', './storage/hearings/live-schema.ts', './storage/oauth/schema.ts', './storage/identity/schema.ts', './storage/filings/schema.ts'],
  out: './storage/migrations',
});
