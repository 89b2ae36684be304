import { describe, expect, it } from 'vitest';
import { CaseNumberReservationError, createCaseNumberDispenser } from '../../actors/case/case-number-dispenser.ts';

const AT = new Date('2026-03-01T00:00:00Z');

describe('case number dispenser', () => {
  it('serves concurrent requests of a court with one reservation in flight at a time', async () => {
    const calls: Array<{ courtId: string; count: number }> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const next = new Map<string, number>();
    const draw = createCaseNumberDispenser({
      reserve: async (courtId, _at, count) => {
        calls.push({ courtId, count });
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        const first = (next.get(courtId) ?? 0) + 1;
        next.set(courtId, first + count - 1);
        return Array.from({ length: count }, (_, i) => `${courtId}-${first + i}`);
      },
    });
    const numbers = await Promise.all(Array.from({ length: 50 }, () => draw('A', AT)));
    expect(new Set(numbers).size).toBe(50);
    expect(numbers.map((n) => Number(n.split('-')[1])).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(maxInFlight).toBe(1);
    // The requests of one turn share one reservation.
    expect(calls).toEqual([{ courtId: 'A', count: 50 }]);
    // Requests made while a reservation is in flight wait for it, then share the next one.
    const first = draw('A', AT);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const later = await Promise.all([first, draw('A', AT), draw('A', AT)]);
    expect(later).toEqual(['A-51', 'A-52', 'A-53']);
    expect(maxInFlight).toBe(1);
    expect(calls.slice(1)).toEqual([{ courtId: 'A', count: 1 }, { courtId: 'A', count: 2 }]);
    // Courts do not wait for each other.
    const [a, b] = await Promise.all([draw('A', AT), draw('B', AT)]);
    expect([a, b]).toEqual(['A-54', 'B-1']);
  });

  it('a failed reservation fails its batch only; a short one refuses the rest', async () => {
    let round = 0;
    const draw = createCaseNumberDispenser({
      reserve: async (_courtId, _at, count) => {
        round++;
        if (round === 1) throw new Error('database down');
        return Array.from({ length: Math.max(count - 1, 1) }, (_, i) => `n${round}-${i}`);
      },
    });
    await expect(draw('A', AT)).rejects.toThrow('database down');
    // The three requests share one reservation of 3 that yields 2: the last one is refused.
    const [x, y, z] = await Promise.allSettled([draw('A', AT), draw('A', AT), draw('A', AT)]);
    expect(x).toEqual({ status: 'fulfilled', value: 'n2-0' });
    expect(y).toEqual({ status: 'fulfilled', value: 'n2-1' });
    expect(z.status).toBe('rejected');
    expect((z as PromiseRejectedResult).reason).toBeInstanceOf(CaseNumberReservationError);
  });
});
