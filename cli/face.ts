// `ecourt face compare <a> <b> [--json]`: are the faces in two photos one person? Prints the descriptor
// distance, the threshold and the decision, or why an image was refused (no face, several, too small…).
// Exit 0 the same person, 1 different people or a refused image, 2 bad usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppError } from '../platform/errors.ts';
import { FaceService, type FaceComparison } from '../models/face/face-service.ts';

export class FaceUsageError extends Error {}

export const FACE_USAGE = 'usage: ecourt face compare <a.jpg|png> <b.jpg|png> [--json]';

export async function face(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'compare') throw new FaceUsageError(FACE_USAGE);
  const { values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  if (positionals.length !== 2) throw new FaceUsageError(FACE_USAGE);
  const [first, second] = positionals as [string, string];
  const images = await Promise.all([readImage(first), readImage(second)]);
  const service = new FaceService({ workers: 2 });
  try {
    const comparison = await service.compare(images[0], images[1]);
    print(values.json, { a: first, b: second, ...summary(comparison) });
    return comparison.samePerson ? 0 : 1;
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    const image = (error.details as { image?: 'a' | 'b' } | undefined)?.image;
    print(values.json, { a: first, b: second, refused: { code: error.code, message: error.message, ...(image ? { image } : {}) } });
    return 1;
  } finally {
    await service.close();
  }
}

async function readImage(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

function summary(comparison: FaceComparison) {
  return {
    distance: Number(comparison.distance.toFixed(4)),
    threshold: comparison.threshold,
    decision: comparison.samePerson ? ('same' as const) : ('different' as const),
    faces: comparison.faces.map(({ box }) => box),
  };
}

function print(json: boolean, outcome: { a: string; b: string } & (ReturnType<typeof summary> | { refused: { code: string; message: string; image?: 'a' | 'b' } })): void {
  if (json) {
    console.log(JSON.stringify(outcome, null, 2));
  } else if ('refused' in outcome) {
    const which = outcome.refused.image ? ` (${outcome.refused.image === 'a' ? outcome.a : outcome.b})` : '';
    console.log(`refused${which}: ${outcome.refused.code} — ${outcome.refused.message}`);
  } else {
    const verdict = outcome.decision === 'same' ? 'same person / 同一人' : 'different people / 非同一人';
    console.log(`${verdict}: distance ${outcome.distance} (same below ${outcome.threshold})`);
  }
}
