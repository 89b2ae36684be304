// Access rules of the hub, as pure functions (no I/O): who may call a route, send a case command,
// see which buttons, or follow a court's events. Membership of a case is looked up by the caller
// (storage isCaseMember) and its answer passed in.
//
// Policy: a caller who is not a member of a case gets 404 NOT_FOUND for it, exactly as for a case
// that does not exist, so case ids cannot be probed. Role refusals (a party sending ACCEPT) are
// 403 FORBIDDEN, since they reveal nothing about any case.
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { isCourtStaff, type Role } from '../../platform/roles.ts';
import { CASE_COMMAND_ROLES, type CaseCommandType } from '../../actors/case/case.protocol.ts';
import type { Session } from './session-token.ts';

/** What a route requires of its caller. */
export type RouteAccess = { kind: 'public' } | { kind: 'signedIn'; roles: 'any' | readonly Role[] };

export const publicAccess: RouteAccess = { kind: 'public' };
export const anySignedIn: RouteAccess = { kind: 'signedIn', roles: 'any' };
export const signedInAs = (...roles: Role[]): RouteAccess => ({ kind: 'signedIn', roles });

export type AccessDecision = 'allowed' | 'unauthenticated' | 'forbidden';

export function decideRouteAccess(session: Session | null, access: RouteAccess): AccessDecision {
  if (access.kind === 'public') return 'allowed';
  if (!session) return 'unauthenticated';
  if (access.roles === 'any' || access.roles.includes(session.role)) return 'allowed';
  return 'forbidden';
}

/** Throws the coded error matching a refusal, so routes and sockets answer alike. */
export function assertRouteAccess(session: Session | null, access: RouteAccess): void {
  const decision = decideRouteAccess(session, access);
  if (decision === 'unauthenticated') throw new AppError('UNAUTHENTICATED', 'Sign in first');
  if (decision === 'forbidden') throw new ForbiddenError('Your role may not do this');
}

export function maySendCaseCommand(role: Role, type: CaseCommandType): boolean {
  return CASE_COMMAND_ROLES[type].includes(role);
}

export function assertMaySendCaseCommand(role: Role, type: CaseCommandType): void {
  if (!maySendCaseCommand(role, type)) throw new ForbiddenError(`A ${role} may not send ${type}`);
}

/** Non-members learn nothing: the same 404 as for a case that does not exist. */
export function assertCaseMember(isMember: boolean): void {
  if (!isMember) throw new NotFoundError('Case');
}

/** Commands the case's state allows AND the caller's role may send: what the UI offers as buttons. */
export function allowedCommandsFor(role: Role, legalInState: readonly CaseCommandType[]): CaseCommandType[] {
  return legalInState.filter((type) => maySendCaseCommand(role, type));
}

/** Only court staff may follow every case of a court, and only of their own court. */
export function mayFollowCourt(session: Session): boolean {
  return isCourtStaff(session.role) && session.courtId !== null;
}

/** Events of a court reach a court-scoped follower only when the event's court is theirs. */
export function courtEventReaches(session: Session, eventCourtId: unknown): boolean {
  return mayFollowCourt(session) && typeof eventCourtId === 'string' && eventCourtId === session.courtId;
}
