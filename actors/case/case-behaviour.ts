// The case actor as the ActorHost runs it: validates case commands, turns them into the
// journalled events (personal identifiers sealed on FILE, a case number drawn on ACCEPT) and
// says what a client may see of a case.
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { CommandRefusedError, type ActorBehaviour } from '../runtime/actor-behaviour.ts';
import { caseCommand, type CaseCommand, type PartyInput } from './case.protocol.ts';
import { parseCaseNumber } from './case-number.ts';
import { createCaseNumberDispenser, type ReserveCaseNumbers } from './case-number-dispenser.ts';
import { caseMachine, type CaseContext, type CaseEvent, type SealedParty } from './case.machine.ts';

export { allowedCaseCommands } from './allowed-case-commands.ts';

export const CASE_KIND = 'case';

export interface CaseBehaviourDeps {
  /** Reserves consecutive case numbers of a court (e.g. '(2026)京0105民初123号'); used only for an allowed ACCEPT. */
  reserveCaseNumbers: ReserveCaseNumbers;
  cipher: PersonalDataCipher;
  /**
   * Which of the court and accounts a filing names do not exist (storage/journal/filing-references.ts).
   * The projection tables have no foreign keys, so this check is what keeps a case from naming a
   * court or an account that is not there.
   */
  checkFilingReferences: (refs: { courtId: string; userIds: readonly string[] }) => Promise<{ courtKnown: boolean; unknownUserIds: string[] }>;
}

/** Replaces clear identifiers by sealed ones, so no ID number or phone ever reaches the journal. */
function sealParty(party: PartyInput, cipher: PersonalDataCipher): SealedParty {
  const sealed: SealedParty = { name: party.name, kind: party.kind };
  if (party.userId !== undefined) sealed.userId = party.userId;
  if (party.idNumber !== undefined) sealed.idNumberSealed = cipher.seal(party.idNumber);
  if (party.phone !== undefined) sealed.phoneSealed = cipher.seal(party.phone);
  if (party.address !== undefined) sealed.address = party.address;
  return sealed;
}

export function createCaseBehaviour(deps: CaseBehaviourDeps): ActorBehaviour<CaseCommand, CaseEvent> {
  // One reservation in flight per court: concurrent acceptances must not queue on the sequence row's lock.
  const drawCaseNumber = createCaseNumberDispenser({
    reserve: deps.reserveCaseNumbers,
  });
  return {
    kind: CASE_KIND,
    machine: caseMachine,
    input: (ref) => ({ id: ref.id }),
    commandSchema: caseCommand,
    creationCommands: ['FILE'],
    notFoundName: 'case',
    refusalCode: 'CASE_TRANSITION_NOT_ALLOWED',

    async toEvent(command, current, { now }): Promise<CaseEvent> {
      switch (command.type) {
        case 'FILE': {
          const { filing, by } = command;
          const partyUserIds = [...filing.plaintiffs, ...filing.defendants].flatMap((party) => (party.userId ? [party.userId] : []));
          const { courtKnown, unknownUserIds } = await deps.checkFilingReferences({ courtId: filing.courtId, userIds: [by.userId, ...partyUserIds] });
          if (!courtKnown) {
            throw new CommandRefusedError('VALIDATION_FAILED', 'the command is not valid', [{ path: 'filing.courtId', message: 'no such court' }]);
          }
          if (unknownUserIds.length > 0) {
            // Which ids are unknown is not said back: it would let a caller probe for accounts.
            throw new CommandRefusedError('VALIDATION_FAILED', 'the command is not valid', [{ path: 'filing.userId', message: 'names an account that does not exist' }]);
          }
          const sealed: CaseEvent = {
            type: 'FILE',
            by,
            filing: {
              courtId: filing.courtId,
              cause: filing.cause,
              claims: filing.claims,
              ...(filing.claimAmount === undefined ? {} : { claimAmount: filing.claimAmount }),
              facts: filing.facts,
              plaintiffs: filing.plaintiffs.map((party) => sealParty(party, deps.cipher)),
              defendants: filing.defendants.map((party) => sealParty(party, deps.cipher)),
            },
          };
          return sealed;
        }
        case 'ACCEPT': {
          // Check first: a number drawn for a refused ACCEPT would leave a hole in the court's sequence.
          if (!current.can({ type: 'ACCEPT', by: command.by, caseNumber: '' })) {
            throw new CommandRefusedError('CASE_TRANSITION_NOT_ALLOWED', `ACCEPT is not allowed in state ${current.state}`, {
              state: current.state,
              command: 'ACCEPT',
            });
          }
          const { courtId } = current.context as CaseContext;
          if (!courtId) throw new Error('an accepted case must have a court');
          const caseNumber = await drawCaseNumber(courtId, now);
          if (!parseCaseNumber(caseNumber)) throw new Error(`malformed case number from the numbering service: ${caseNumber}`);
          return { type: 'ACCEPT', by: command.by, caseNumber };
        }
        case 'REJECT':
          return { type: 'REJECT', by: command.by, reasons: command.reasons };
        case 'SCHEDULE_HEARING':
          return {
            type: 'SCHEDULE_HEARING',
            by: command.by,
            hearingId: command.hearingId,
            startsAt: command.startsAt,
            courtroom: command.courtroom,
            ...(command.language ? { language: command.language } : {}),
          };
        case 'RECORD_HEARING_HELD':
          return { type: 'RECORD_HEARING_HELD', by: command.by, hearingId: command.hearingId };
        case 'ISSUE_JUDGMENT':
          return { type: 'ISSUE_JUDGMENT', by: command.by, summary: command.summary };
        case 'SETTLE_BY_MEDIATION':
          return { type: 'SETTLE_BY_MEDIATION', by: command.by, summary: command.summary };
        case 'WITHDRAW':
          return { type: 'WITHDRAW', by: command.by, reason: command.reason };
        case 'BEGIN_REVIEW':
        case 'RECORD_SERVICE':
        case 'CLOSE':
        case 'ARCHIVE':
          return { type: command.type, by: command.by };
      }
    },

    summary(context) {
      const { caseNumber, cause, courtId, claimAmount } = context as CaseContext;
      return { caseNumber, cause, courtId, claimAmount };
    },
  };
}
