// The court as use-cases return it (a plain object, times as ISO strings).
import type { courts } from '../schema.ts';

export interface Court {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  region: string;
  timeZone: string;
  createdAt: string;
}

export function toCourt(row: typeof courts.$inferSelect): Court {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    region: row.region,
    timeZone: row.timeZone,
    createdAt: row.createdAt.toISOString(),
  };
}
