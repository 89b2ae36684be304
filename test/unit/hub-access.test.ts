import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  allowedCommandsFor,
  anySignedIn,
  assertCaseMember,
  assertMaySendCaseCommand,
  assertRouteAccess,
  courtEventReaches,
  decideRouteAccess,
  mayFollowCourt,
  maySendCaseCommand,
  publicAccess,
  signedInAs,
} from '../../hub/auth/access.ts';
import type { Session } from '../../hub/auth/session-token.ts';
import { AppError } from '../../platform/errors.ts';
import { CASE_COMMAND_ROLES, type CaseCommandType } from '../../actors/case/case.protocol.ts';
import type { Role } from '../../platform/roles.ts';

const courtA = randomUUID();
const courtB = randomUUID();
const session = (role: Role, courtId: string | null = null): Session => ({
  userId: randomUUID(),
  role,
  courtId,
  issuedAt: 0,
  expiresAt: 1,
});

function codeOf(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return (error as AppError).code;
  }
}

describe('route access', () => {
  it('lets anyone call public routes', () => {
    expect(decideRouteAccess(null, publicAccess)).toBe('allowed');
    expect(decideRouteAccess(session('party'), publicAccess)).toBe('allowed');
  });

  it('asks unauthenticated callers to sign in (401) and refuses other roles (403)', () => {
    const filing = signedInAs('party', 'lawyer', 'institution');
    expect(decideRouteAccess(null, anySignedIn)).toBe('unauthenticated');
    expect(decideRouteAccess(null, filing)).toBe('unauthenticated');
    expect(decideRouteAccess(session('judge', courtA), filing)).toBe('forbidden');
    expect(decideRouteAccess(session('lawyer'), filing)).toBe('allowed');
    expect(codeOf(() => assertRouteAccess(null, anySignedIn))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => assertRouteAccess(session('clerk', courtA), filing))).toBe('FORBIDDEN');
    expect(codeOf(() => assertRouteAccess(session('party'), filing))).toBeNull();
  });
});

describe('case commands by role', () => {
  it('follows CASE_COMMAND_ROLES exactly', () => {
    for (const [type, roles] of Object.entries(CASE_COMMAND_ROLES) as [CaseCommandType, readonly string[]][]) {
      for (const role of ['party', 'lawyer', 'judge', 'clerk', 'courtAdmin', 'institution'] as Role[]) {
        expect(maySendCaseCommand(role, type), `${role} ${type}`).toBe(roles.includes(role));
      }
    }
  });

  it('refuses a party accepting a case with 403, and lets a clerk do it', () => {
    expect(codeOf(() => assertMaySendCaseCommand('party', 'ACCEPT'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertMaySendCaseCommand('clerk', 'ACCEPT'))).toBeNull();
    expect(codeOf(() => assertMaySendCaseCommand('clerk', 'ISSUE_JUDGMENT'))).toBe('FORBIDDEN');
  });

  it('offers only the commands legal in the state that the role may send', () => {
    const legalInFiled: CaseCommandType[] = ['BEGIN_REVIEW', 'WITHDRAW'];
    expect(allowedCommandsFor('clerk', legalInFiled)).toEqual(['BEGIN_REVIEW', 'WITHDRAW']);
    expect(allowedCommandsFor('party', legalInFiled)).toEqual(['WITHDRAW']);
    expect(allowedCommandsFor('courtAdmin', legalInFiled)).toEqual([]);
    expect(allowedCommandsFor('judge', ['ISSUE_JUDGMENT', 'SETTLE_BY_MEDIATION', 'SCHEDULE_HEARING'])).toHaveLength(3);
    expect(allowedCommandsFor('clerk', ['ISSUE_JUDGMENT', 'SETTLE_BY_MEDIATION', 'SCHEDULE_HEARING'])).toEqual(['SCHEDULE_HEARING']);
  });
});

describe('case membership', () => {
  it('answers non-members with 404, as if the case did not exist', () => {
    expect(codeOf(() => assertCaseMember(false))).toBe('NOT_FOUND');
    expect(codeOf(() => assertCaseMember(true))).toBeNull();
  });
});

describe('following a court on the realtime channel', () => {
  it('is for court staff of a court only', () => {
    expect(mayFollowCourt(session('clerk', courtA))).toBe(true);
    expect(mayFollowCourt(session('courtAdmin', courtA))).toBe(true);
    expect(mayFollowCourt(session('party'))).toBe(false);
    expect(mayFollowCourt(session('institution'))).toBe(false);
    expect(mayFollowCourt(session('judge', null))).toBe(false);
  });

  it('delivers a court event only to staff of that court', () => {
    expect(courtEventReaches(session('judge', courtA), courtA)).toBe(true);
    expect(courtEventReaches(session('judge', courtA), courtB)).toBe(false);
    expect(courtEventReaches(session('judge', courtA), undefined)).toBe(false);
    expect(courtEventReaches(session('party'), courtA)).toBe(false);
  });
});
