// ECOURT_LIVENESS_CHALLENGES: the challenges a court's live face checks draw from (default all four).
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../platform/config.ts';
import { LIVENESS_CHALLENGES, randomChallenge } from '../../models/face/liveness/liveness-challenge.ts';

describe('ECOURT_LIVENESS_CHALLENGES', () => {
  it('defaults to every challenge and takes a comma list (spaces and repeats forgiven)', () => {
    expect(parseConfig({}).ECOURT_LIVENESS_CHALLENGES).toEqual([...LIVENESS_CHALLENGES]);
    expect(parseConfig({ ECOURT_LIVENESS_CHALLENGES: ' turnLeft, turnRight ,turnLeft' }).ECOURT_LIVENESS_CHALLENGES).toEqual(['turnLeft', 'turnRight']);
  });

  it('refuses an unknown challenge or an empty list, naming the variable', () => {
    expect(() => parseConfig({ ECOURT_LIVENESS_CHALLENGES: 'turnLeft,nod' })).toThrow(ConfigError);
    expect(() => parseConfig({ ECOURT_LIVENESS_CHALLENGES: ' , ' })).toThrow(/ECOURT_LIVENESS_CHALLENGES/);
  });

  it('draws only from the allowed challenges', () => {
    for (let draw = 0; draw < 50; draw += 1) expect(['turnLeft', 'turnRight']).toContain(randomChallenge(['turnLeft', 'turnRight']));
    expect(randomChallenge(['blink'])).toBe('blink');
  });
});
