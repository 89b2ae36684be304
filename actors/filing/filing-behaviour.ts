// The filing review actor as the ActorHost runs it: checks who may send what, evaluates a submitted
// filing with the court's current rule set, prior filings of the same dispute and the third-party
// checks — all inside toEvent, so the evaluation is journalled with the event and a replay rebuilds
// the same review without evaluating again — and seals the identifiers before anything is journalled.
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import type { FilingInput } from '../../models/filing-rules/filing.ts';
import { courtToday } from '../../models/filing-rules/filing.ts';
import { evaluateFiling, filingFingerprint, type CourtFilingContext, type PriorFiling } from '../../models/filing-rules/evaluate.ts';
import type { FilingRuleSet } from '../../models/filing-rules/rule-set.ts';
import type { ThirdPartyCheckResult } from '../../hub/filings/checks/third-party-checks.ts';
import { CommandRefusedError, type ActorBehaviour, type ActorView } from '../runtime/actor-behaviour.ts';
import type { CheckFilingReferences } from '../../storage/journal/filing-references.ts';
import { filingCommand, FILING_DECIDER_ROLES, FILER_ROLES, FILING_KIND, CORRECTION_DAYS, type FilingCommand } from './filing.protocol.ts';
import { filingReviewMachine, type FilingContext, type FilingEvent, type FilingSender } from './filing-review.machine.ts';
import { addDays, checkAsRuleResult, reviewOf } from './filing-review-outcome.ts';
import { sealFiling } from './seal-filing.ts';

export { FILING_KIND } from './filing.protocol.ts';

export interface FilingReviewDeps {
  cipher: PersonalDataCipher;
  /** The court as the rules see it; null: no such court. */
  courtContext(courtId: string): Promise<CourtFilingContext | null>;
  /** The court's newest rule set, else the platform default's newest, else the built-in default. */
  ruleSetOf(courtId: string): Promise<FilingRuleSet>;
  /** Earlier filings with this fingerprint (same parties, cause and amounts), but not this one. */
  priorFilings(fingerprint: string, exceptFilingId: string): Promise<PriorFiling[]>;
  /** Enterprise registration and real-name status (hub/filings/checks). */
  thirdPartyChecks(filing: FilingInput, filerUserId: string): Promise<ThirdPartyCheckResult[]>;
  /** The court a staff account belongs to (null for litigants and unknown accounts). */
  staffCourtOf(userId: string): Promise<string | null>;
  /** That the court and every account the filing names exist (storage/journal/filing-references.ts). */
  checkFilingReferences: CheckFilingReferences;
}

const notAllowed = (command: string, state: string) =>
  new CommandRefusedError('FILING_TRANSITION_NOT_ALLOWED', `${command} is not allowed in state ${state}`, { state, command });

const forbidden = (message: string) => new CommandRefusedError('FORBIDDEN', message);

export function createFilingBehaviour(deps: FilingReviewDeps): ActorBehaviour<FilingCommand, FilingEvent> {
  /** Everything a submission's review needs, read now; the result is journalled in the event. */
  async function review(filingId: string, filing: FilingInput, by: FilingSender, now: Date) {
    const partyUserIds = [...filing.plaintiffs, ...filing.defendants].flatMap((party) => (party.userId ? [party.userId] : []));
    const agentIds = filing.agent ? [filing.agent.userId] : [];
    const { courtKnown, unknownUserIds } = await deps.checkFilingReferences({ courtId: filing.courtId, userIds: [by.userId, ...partyUserIds, ...agentIds] });
    const court = courtKnown ? await deps.courtContext(filing.courtId) : null;
    if (!court) throw new CommandRefusedError('VALIDATION_FAILED', 'the command is not valid', [{ path: 'filing.courtId', message: 'no such court' }]);
    if (unknownUserIds.length > 0) {
      // Which ids are unknown is not said back: it would let a caller probe for accounts.
      throw new CommandRefusedError('VALIDATION_FAILED', 'the command is not valid', [{ path: 'filing.userId', message: 'names an account that does not exist' }]);
    }
    const fingerprint = filingFingerprint(filing);
    const today = courtToday(now);
    const [ruleSet, priorFilings, checks] = await Promise.all([
      deps.ruleSetOf(filing.courtId),
      deps.priorFilings(fingerprint, filingId),
      deps.thirdPartyChecks(filing, by.userId),
    ]);
    const evaluation = evaluateFiling(filing, { ruleSet, court, today, priorFilings, additionalResults: checks.map(checkAsRuleResult) });
    return { fingerprint, review: reviewOf(evaluation, checks, today), submittedAt: now.toISOString(), filing: sealFiling(filing, deps.cipher) };
  }

  return {
    kind: FILING_KIND,
    machine: filingReviewMachine,
    input: (ref) => ({ id: ref.id }),
    commandSchema: filingCommand,
    creationCommands: ['SUBMIT'],
    notFoundName: 'filing',
    refusalCode: 'FILING_TRANSITION_NOT_ALLOWED',

    async toEvent(command, current: ActorView, { ref, now }): Promise<FilingEvent> {
      const context = current.context as FilingContext;
      switch (command.type) {
        case 'SUBMIT': {
          if (!FILER_ROLES.includes(command.by.role)) throw forbidden('only parties, lawyers and institutions file');
          // Checked before the evaluation: a second SUBMIT of the same id must not cost a review.
          if (current.state !== 'draft') throw notAllowed('SUBMIT', current.state);
          const reviewed = await review(ref.id, command.filing, command.by, now);
          return {
            type: 'SUBMIT',
            by: command.by,
            filing: reviewed.filing,
            ...(command.draftId ? { draftId: command.draftId } : {}),
            fingerprint: reviewed.fingerprint,
            submittedAt: reviewed.submittedAt,
            review: reviewed.review,
          };
        }
        case 'RESUBMIT': {
          if (current.state !== 'returned') throw notAllowed('RESUBMIT', current.state);
          if (command.by.userId !== context.filedBy?.userId && command.by.userId !== context.agentUserId) throw forbidden('only the filer corrects a returned filing');
          if (command.filing.courtId !== context.courtId) {
            throw new CommandRefusedError('VALIDATION_FAILED', 'the command is not valid', [{ path: 'filing.courtId', message: 'a corrected filing goes to the same court; file anew for another' }]);
          }
          const deadline = context.correction?.deadline;
          if (deadline && courtToday(now) > deadline) {
            throw new CommandRefusedError('FILING_CORRECTION_OVERDUE', `the correction was due on ${deadline}`, { deadline });
          }
          const reviewed = await review(ref.id, command.filing, context.filedBy ?? command.by, now);
          return {
            type: 'RESUBMIT',
            by: command.by,
            filing: reviewed.filing,
            fingerprint: reviewed.fingerprint,
            submittedAt: reviewed.submittedAt,
            review: reviewed.review,
          };
        }
        case 'DECIDE': {
          if (!FILING_DECIDER_ROLES.includes(command.by.role)) throw forbidden('only the court’s clerks, judges and administrators decide on a filing');
          if ((await deps.staffCourtOf(command.by.userId)) !== context.courtId) throw forbidden('the filing is for another court');
          if (current.state !== 'needsClerk') throw notAllowed('DECIDE', current.state);
          const today = courtToday(now);
          const deadline = command.deadline ?? addDays(today, CORRECTION_DAYS);
          if (command.decision === 'return' && deadline < today) {
            throw new CommandRefusedError('VALIDATION_FAILED', 'the command is not valid', [{ path: 'deadline', message: 'the correction deadline is in the past' }]);
          }
          const correction =
            command.decision === 'return'
              ? { fields: command.fields ?? [], deadline, reasons: [{ ruleId: 'clerk', zh: command.reason, en: command.reason, legalBasis: '', fields: command.fields ?? [] }] }
              : null;
          return { type: 'DECIDE', by: command.by, decision: command.decision, reason: command.reason, correction, decidedAt: now.toISOString() };
        }
        case 'RECORD_ACCEPTANCE': {
          if (command.by.role !== 'system') throw forbidden('acceptance is recorded by the platform');
          if (current.state !== 'autoAccepted' && current.state !== 'clerkAccepted') throw notAllowed('RECORD_ACCEPTANCE', current.state);
          return { type: 'RECORD_ACCEPTANCE', by: command.by, caseId: command.caseId, caseNumber: command.caseNumber, receiptDocumentId: command.receiptDocumentId };
        }
      }
    },

    summary(context) {
      const { courtId, filedBy, acceptance, review: latest } = context as FilingContext;
      return {
        courtId,
        filedBy: filedBy?.userId ?? null,
        decision: latest?.decision ?? null,
        caseNumber: acceptance?.caseNumber ?? null,
      };
    },
  };
}
