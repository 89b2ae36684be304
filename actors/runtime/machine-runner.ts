// Runs an actor kind's pure XState machine without a live XState actor per instance: snapshots in,
// snapshots out, through the machine's own transition logic and one shared actor scope per kind.
// A live actor per case costs ~2.5× the CPU of the transition itself (its system, mailbox, observers).
import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';

/** An action of the machine threw, or the machine reached its error status: the instance is not trustworthy. */
export class MachineFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MachineFailedError';
  }
}

/**
 * The same steps `createActor(machine).start().send(event)` takes (getInitialSnapshot,
 * restoreSnapshot, transition; guards and `snapshot.can()` unchanged), minus the actor.
 * Custom actions run synchronously while the event is taken, as in a running actor, so an action
 * that throws fails the step. The shared scope's `self` is not the instance: machines run here
 * must be pure (no `self`, no spawned or invoked children, no delayed events), which the actor
 * contract already asks for, since replaying the journal has to rebuild the same state.
 */
export class MachineRunner {
  private readonly scope: AnyActorScope;

  constructor(
    readonly machine: AnyStateMachine,
    /** Any valid input: the shared scope's own actor is built (never started) with it. */
    scopeInput: unknown,
  ) {
    const scopeActor = createActor(machine, { input: scopeInput });
    this.scope = {
      self: scopeActor,
      id: '',
      sessionId: '',
      logger: () => undefined,
      defer: () => undefined,
      emit: () => undefined,
      stopChild: () => undefined,
      system: scopeActor.system,
      actionExecutor: (action) => {
        if (action.exec) action.exec(action.info, action.params);
      },
    } as AnyActorScope;
  }

  /** A brand-new instance (the machine's initial state for this input). */
  initial(input: unknown): AnyMachineSnapshot {
    return this.checked(() => this.machine.getInitialSnapshot(this.scope, input), 'initial state');
  }

  /** An instance from a persisted snapshot (`persisted()` of an earlier one). */
  restore(persisted: unknown): AnyMachineSnapshot {
    return this.checked(() => this.machine.restoreSnapshot(persisted as never, this.scope) as AnyMachineSnapshot, 'restore');
  }

  /** The snapshot after `event`; an event the state does not take leaves it as it is (like `actor.send`). */
  next(snapshot: AnyMachineSnapshot, event: { type: string }): AnyMachineSnapshot {
    if (snapshot.status !== 'active') return snapshot;
    return this.checked(() => this.machine.transition(snapshot, event, this.scope), event.type);
  }

  /** The JSON-friendly form for the snapshot store (what `actor.getPersistedSnapshot()` gives). */
  persisted(snapshot: AnyMachineSnapshot): unknown {
    return this.machine.getPersistedSnapshot(snapshot);
  }

  private checked(step: () => AnyMachineSnapshot, what: string): AnyMachineSnapshot {
    let snapshot: AnyMachineSnapshot;
    try {
      snapshot = step();
    } catch (error) {
      throw new MachineFailedError(`the machine failed on ${what}`, { cause: error });
    }
    if (snapshot.status === 'error') throw new MachineFailedError(`the machine failed on ${what}`, { cause: snapshot.error });
    return snapshot;
  }
}
