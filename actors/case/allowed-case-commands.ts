// Which commands a case in a given state can take, read from the machine itself so this list
// can never drift from the real transitions. The hub intersects it with the caller's role.
import { CASE_COMMAND_ROLES, type CaseCommandType, type CaseState } from './case.protocol.ts';
import { caseMachine } from './case.machine.ts';

const COMMAND_TYPES = new Set<string>(Object.keys(CASE_COMMAND_ROLES));

const byState = new Map<string, CaseCommandType[]>(
  Object.entries(caseMachine.states).map(([state, node]) => [
    state,
    node.ownEvents.filter((type): type is CaseCommandType => COMMAND_TYPES.has(type)),
  ]),
);

/** Commands the machine has a transition for in `state` (guards such as "hearing exists" aside). */
export function allowedCaseCommands(state: CaseState): CaseCommandType[] {
  return [...(byState.get(state) ?? [])];
}
