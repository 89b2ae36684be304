// Which commands a hearing in a given state can take, read from the machine itself so the
// judge's control bar and the hub can never drift from the real transitions. Whether the sender
// may send them, and whether the participant concerned is in the right step, is asked per command.
import { HEARING_COMMAND_SENDERS, type HearingCommandType, type HearingState } from './hearing.protocol.ts';
import { hearingMachine } from './hearing.machine.ts';

const COMMAND_TYPES = new Set<string>(Object.keys(HEARING_COMMAND_SENDERS));

const byState = new Map<string, HearingCommandType[]>(
  Object.entries(hearingMachine.states).map(([state, node]) => [
    state,
    node.ownEvents.filter((type): type is HearingCommandType => COMMAND_TYPES.has(type)),
  ]),
);

/** Commands the machine has a transition for in `state` (sender and participant rules aside). */
export function allowedHearingCommands(state: HearingState): HearingCommandType[] {
  return [...(byState.get(state) ?? [])];
}
