import { describe, expect, it } from 'vitest';
import { assign, createActor, setup } from 'xstate';
import { caseMachine } from '../../actors/case/case.machine.ts';
import { MachineFailedError, MachineRunner } from '../../actors/runtime/machine-runner.ts';

const by = { userId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', role: 'judge' };
const file = {
  type: 'FILE' as const,
  by,
  filing: {
    courtId: '5a0e2f7c-1d3b-4c5e-8f9a-0b1c2d3e4f50',
    cause: '民间借贷纠纷',
    claims: '判令被告偿还借款12000元',
    facts: '借款到期未还',
    plaintiffs: [{ name: '张三', kind: 'person' as const, idNumberSealed: 'sealed' }],
    defendants: [{ name: '李四', kind: 'person' as const }],
  },
};
const life = [
  file,
  { type: 'BEGIN_REVIEW' as const, by },
  { type: 'ACCEPT' as const, by, caseNumber: '(2026)京0105民初12号' },
  { type: 'SCHEDULE_HEARING' as const, by, hearingId: 'h1', startsAt: '2026-12-01T09:00:00+08:00', courtroom: '第一法庭' },
  { type: 'RECORD_HEARING_HELD' as const, by, hearingId: 'h1' },
];

describe('MachineRunner', () => {
  const runner = new MachineRunner(caseMachine, { id: 'scope' });

  it('takes the same steps as a live actor: state, context, guards and can()', () => {
    const actor = createActor(caseMachine, { input: { id: 'case-1' } }).start();
    let snapshot = runner.initial({ id: 'case-1' });
    expect(snapshot.context).toEqual(actor.getSnapshot().context);
    for (const event of life) {
      expect(snapshot.can(event)).toBe(actor.getSnapshot().can(event));
      actor.send(event);
      snapshot = runner.next(snapshot, event);
      expect(snapshot.value).toEqual(actor.getSnapshot().value);
      expect(snapshot.context).toEqual(actor.getSnapshot().context);
    }
    expect(snapshot.value).toBe('heard');
    // The guard refuses a hearing already held, and an event the state does not take changes nothing.
    expect(snapshot.can({ type: 'RECORD_HEARING_HELD', by, hearingId: 'h1' })).toBe(false);
    expect(runner.next(snapshot, { type: 'BEGIN_REVIEW', by } as never)).toBe(snapshot);
    actor.stop();
  });

  it('persists and restores a snapshot the way a live actor does', () => {
    let snapshot = runner.initial({ id: 'case-2' });
    for (const event of life.slice(0, 3)) snapshot = runner.next(snapshot, event);
    const persisted = JSON.parse(JSON.stringify(runner.persisted(snapshot)));
    const restored = runner.restore(persisted);
    expect(restored.value).toBe('accepted');
    expect(restored.context).toEqual(snapshot.context);
    const actor = createActor(caseMachine, { snapshot: persisted, input: { id: 'case-2' } }).start();
    expect(actor.getSnapshot().context).toEqual(restored.context);
    actor.stop();
  });

  it('gives back the very same snapshot for an event it does not take (the host asks can() only then)', () => {
    let snapshot = runner.initial({ id: 'case-3' });
    for (const event of life.slice(0, 2)) snapshot = runner.next(snapshot, event);
    // Not taken in this state, and refused by a guard: the same object, and can() says no.
    const notTaken = { type: 'SCHEDULE_HEARING' as const, by, hearingId: 'h9', startsAt: '2026-12-01T09:00:00+08:00', courtroom: '第一法庭' };
    expect(runner.next(snapshot, notTaken)).toBe(snapshot);
    expect(snapshot.can(notTaken)).toBe(false);
    // Taken: a new snapshot, one count per event.
    const accepted = runner.next(snapshot, life[2]!);
    expect(accepted).not.toBe(snapshot);
    expect(accepted.context.historyLength).toBe(snapshot.context.historyLength + 1);
    let heard = accepted;
    for (const event of life.slice(3)) heard = runner.next(heard, event);
    const heldAgain = { type: 'RECORD_HEARING_HELD' as const, by, hearingId: 'h1' };
    expect(runner.next(heard, heldAgain)).toBe(heard);
    expect(heard.can(heldAgain)).toBe(false);
  });

  it('fails the step when an action throws, instead of returning a state', () => {
    const failing = setup({
      types: { context: {} as { total: number }, events: {} as { type: 'ADD'; n: number } | { type: 'BOOM' } },
      actions: {
        add: assign({ total: ({ context, event }) => context.total + (event.type === 'ADD' ? event.n : 0) }),
        explode: () => {
          throw new Error('a bug in an action');
        },
      },
    }).createMachine({ context: { total: 0 }, initial: 'counting', states: { counting: { on: { ADD: { actions: 'add' }, BOOM: { actions: 'explode' } } } } });
    const counter = new MachineRunner(failing, undefined);
    const add: { type: string } = { type: 'ADD', n: 2 } as { type: 'ADD'; n: number };
    const after = counter.next(counter.initial(undefined), add);
    expect(after.context).toEqual({ total: 2 });
    expect(() => counter.next(after, { type: 'BOOM' })).toThrow(MachineFailedError);
  });
});
