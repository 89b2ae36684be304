// Who is re-checked when (hub/hearings/recheck-schedule.ts), who counts as present, and what a frame's
// faces mean (recheck-outcome.ts). The clock is a test double; the random draw is the real one.
import { describe, expect, it } from 'vitest';
import { presentPartiesOf } from '../../hub/hearings/identity-rechecks.ts';
import { recheckVerdict } from '../../hub/hearings/recheck-outcome.ts';
import { RecheckSchedule } from '../../hub/hearings/recheck-schedule.ts';
import type { DetectedFace } from '../../models/face/face-match.ts';

const MIN = 60_000;
const MAX = 240_000;

function scheduleAt(start = 1_000_000) {
  const clock = { now: start };
  const schedule = new RecheckSchedule({ interval: { minMs: MIN, maxMs: MAX }, retryMs: 15_000, now: () => clock.now });
  return { clock, schedule };
}

describe('RecheckSchedule', () => {
  it('gives each newcomer a random first time within [min, max], drawn independently', () => {
    const { clock, schedule } = scheduleAt();
    const ids = Array.from({ length: 50 }, (_, index) => `p${index}`);
    schedule.setPresent('h1', ids);
    const times = ids.map((id) => schedule.dueAt('h1', id)! - clock.now);
    for (const time of times) {
      expect(time).toBeGreaterThanOrEqual(MIN);
      expect(time).toBeLessThanOrEqual(MAX);
    }
    // 50 draws from 180 001 values: equal times for all would mean no randomness at all.
    expect(new Set(times).size).toBeGreaterThan(40);
    expect(schedule.next()).toBeNull();
    expect(schedule.msUntilNext()).toBe(Math.min(...times));
  });

  it('hands out nobody before their time, then the most overdue first', () => {
    const { clock, schedule } = scheduleAt();
    schedule.setPresent('h1', ['a', 'b']);
    schedule.setPresent('h2', ['c']);
    const due = { a: schedule.dueAt('h1', 'a')!, b: schedule.dueAt('h1', 'b')!, c: schedule.dueAt('h2', 'c')! };
    const order = Object.entries(due).sort(([, x], [, y]) => x - y);
    clock.now = order[0]![1] - 1;
    expect(schedule.next()).toBeNull();
    clock.now = order[2]![1];
    const first = schedule.next()!;
    expect(first.participantId).toBe(order[0]![0]);
    // Asking again without settling the first gives the same one: the caller settles it.
    expect(schedule.next()).toEqual(first);
    schedule.checked(first.hearingId, first.participantId);
    expect(schedule.next()!.participantId).toBe(order[1]![0]);
  });

  it('after a check draws a new random time; after a failed one retries sooner', () => {
    const { clock, schedule } = scheduleAt();
    schedule.setPresent('h1', ['a', 'b']);
    clock.now += MAX;
    schedule.checked('h1', 'a');
    const next = schedule.dueAt('h1', 'a')! - clock.now;
    expect(next).toBeGreaterThanOrEqual(MIN);
    expect(next).toBeLessThanOrEqual(MAX);
    schedule.retry('h1', 'b');
    expect(schedule.dueAt('h1', 'b')! - clock.now).toBe(15_000);
    expect(schedule.msUntilNext()).toBe(15_000);
  });

  it('keeps the times of those still present and forgets those who are not', () => {
    const { clock, schedule } = scheduleAt();
    schedule.setPresent('h1', ['a', 'b']);
    const aDue = schedule.dueAt('h1', 'a');
    clock.now += 1000;
    schedule.setPresent('h1', ['a', 'c']);
    expect(schedule.dueAt('h1', 'a')).toBe(aDue);
    expect(schedule.isScheduled('h1', 'b')).toBe(false);
    expect(schedule.isScheduled('h1', 'c')).toBe(true);
    // A check that ends after its participant left does not bring them back.
    schedule.checked('h1', 'b');
    schedule.retry('h1', 'b');
    expect(schedule.isScheduled('h1', 'b')).toBe(false);
    schedule.setPresent('h1', []);
    expect(schedule.isScheduled('h1', 'a')).toBe(false);
    expect(schedule.msUntilNext()).toBeNull();
  });

  it('refuses an interval that is empty or reversed', () => {
    expect(() => new RecheckSchedule({ interval: { minMs: 0, maxMs: 10 } })).toThrow(RangeError);
    expect(() => new RecheckSchedule({ interval: { minMs: 10, maxMs: 5 } })).toThrow(RangeError);
    const fixed = new RecheckSchedule({ interval: { minMs: 5000, maxMs: 5000 }, now: () => 0 });
    fixed.setPresent('h', ['a']);
    expect(fixed.dueAt('h', 'a')).toBe(5000);
  });
});

describe('presentPartiesOf', () => {
  it('takes present participants who are not court staff', () => {
    const participants = [
      { participantId: 'judge', role: 'judge', status: 'inRoom' },
      { participantId: 'clerk', role: 'clerk', status: 'inRoom' },
      { participantId: 'party', role: 'party', status: 'inRoom' },
      { participantId: 'lawyer', role: 'lawyer', status: 'admitted' },
      { participantId: 'witness', role: 'witness', status: 'reconnecting' },
      { participantId: 'waiting', role: 'party', status: 'waiting' },
      { participantId: 'gone', role: 'party', status: 'left' },
      { participantId: 'out', role: 'party', status: 'dismissed' },
    ];
    expect(presentPartiesOf({ participants })).toEqual(['party', 'lawyer', 'witness']);
    expect(presentPartiesOf({})).toEqual([]);
  });
});

describe('recheckVerdict', () => {
  const enrolled = Array.from({ length: 128 }, () => 0);
  const face = (offset: number, size = 150): DetectedFace => ({
    box: { x: 0, y: 0, width: size, height: size },
    score: 0.9,
    landmarks: [],
    descriptor: Array.from({ length: 128 }, (_, index) => (index === 0 ? offset : 0)),
  });
  const options = { threshold: 0.45, minFacePx: 100 };
  const analysis = (faces: DetectedFace[]) => ({ width: 640, height: 480, faces });

  it('matches the enrolled face below the threshold, not at or above it', () => {
    expect(recheckVerdict(analysis([face(0.2)]), enrolled, options)).toEqual({ outcome: 'match', distance: 0.2, faces: 1, facePx: 150 });
    expect(recheckVerdict(analysis([face(0.45)]), enrolled, options)).toMatchObject({ outcome: 'mismatch', distance: 0.45 });
  });

  it('says noFace and severalFaces (a second face of any size counts)', () => {
    expect(recheckVerdict(analysis([]), enrolled, options)).toMatchObject({ outcome: 'noFace', distance: null, faces: 0 });
    expect(recheckVerdict(analysis([face(0.1), face(0.1, 40)]), enrolled, options)).toMatchObject({ outcome: 'severalFaces', faces: 2 });
  });

  it('does not judge one face too small to compare', () => {
    expect(recheckVerdict(analysis([face(0.9, 60)]), enrolled, options)).toEqual({ outcome: null, reason: 'faceTooSmall', faces: 1, facePx: 60 });
  });
});
