// `ecourt face compare` as a real child process: decision and exit code, the refusal codes, bad usage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEcourtToEnd } from '../support/cli-process.ts';
import { encodeJpeg, FACE_FIXTURES, fixtureRaster, mirror } from '../support/face-images.ts';

const fixture = (name: string) => fileURLToPath(new URL(name, FACE_FIXTURES));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecourt-face-cli-'));
  await writeFile(join(dir, 'astronaut-mirrored.jpg'), encodeJpeg(mirror(fixtureRaster('astronaut.png')), 90));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (args: string[]) => runEcourtToEnd(['face', ...args]);

describe('ecourt face compare', () => {
  it('exits 0 for the same person and prints distance, threshold and decision as JSON', async () => {
    const result = await run(['compare', fixture('astronaut.png'), join(dir, 'astronaut-mirrored.jpg'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({ decision: 'same', threshold: 0.45 });
    expect(printed.distance).toBeLessThan(0.45);
    expect(printed.faces).toHaveLength(2);
  });

  it('exits 1 for different people, in words without --json', async () => {
    const result = await run(['compare', fixture('astronaut.png'), fixture('grace-hopper.jpg')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^different people \/ 非同一人: distance 0\.\d+ \(same below 0\.45\)/);
  });

  it('exits 1 with the refusal code for an image without a face or a file that is no image', async () => {
    const cat = await run(['compare', fixture('chelsea.png'), fixture('astronaut.png'), '--json']);
    expect(cat.code).toBe(1);
    expect(JSON.parse(cat.stdout).refused).toMatchObject({ code: 'FACE_NONE', image: 'a' });
    const text = join(dir, 'note.png');
    await writeFile(text, 'not an image at all');
    const notImage = await run(['compare', fixture('astronaut.png'), text]);
    expect(notImage.code).toBe(1);
    expect(notImage.stdout).toContain('IMAGE_INVALID');
  });

  it('exits 2 on bad usage', async () => {
    expect((await run(['compare', fixture('astronaut.png')])).code).toBe(2);
    expect((await run(['enrol', fixture('astronaut.png'), fixture('astronaut.png')])).code).toBe(2);
    expect((await run(['compare', fixture('astronaut.png'), fixture('astronaut.png'), '--verbose'])).code).toBe(2);
  });
});
