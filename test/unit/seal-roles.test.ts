// Who may seal (ECOURT_SEAL_ROLES, ECOURT_SEAL_NEEDS_APPROVAL): parsing, the clear start-up error,
// and the decision apply / request / forbidden per role and seal.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../platform/config.ts';
import { decideSeal, mayApproveSeal, rolesForSeal } from '../../platform/seal-roles.ts';

describe('seal roles configuration', () => {
  it('defaults: court seals by judges and court administrators, a judge’s signature by judges, clerks need approval', () => {
    const config = parseConfig({});
    expect(config.ECOURT_SEAL_ROLES).toEqual({ court: ['judge', 'courtAdmin'], judgeSignature: ['judge'] });
    expect(config.ECOURT_SEAL_NEEDS_APPROVAL).toEqual(['clerk']);
  });

  it('a certificate id’s own rule wins over its class; a certificate that is no seal has nobody', () => {
    const rules = parseConfig({ ECOURT_SEAL_ROLES: 'court:judge; civil-seal: judge , clerk ;judgeSignature:judge', ECOURT_SEAL_NEEDS_APPROVAL: 'none' }).ECOURT_SEAL_ROLES;
    expect(rolesForSeal(rules, { id: 'civil-seal', kind: 'special-seal' })).toEqual(['judge', 'clerk']);
    expect(rolesForSeal(rules, { id: 'court', kind: 'court-seal' })).toEqual(['judge']);
    expect(rolesForSeal(rules, { id: 'wang', kind: 'person' })).toEqual(['judge']);
    expect(rolesForSeal(rules, { id: 'tsa', kind: 'timestamping' })).toEqual([]);
  });

  it.each([
    ['ECOURT_SEAL_ROLES', 'court:judge,party', /party is not a court staff role/],
    ['ECOURT_SEAL_ROLES', 'court', /must be <seal>:<role>/],
    ['ECOURT_SEAL_ROLES', 'court:judge;court:clerk', /named twice/],
    ['ECOURT_SEAL_ROLES', 'court:', /names no role/],
    ['ECOURT_SEAL_ROLES', ';', /names no seal/],
    ['ECOURT_SEAL_NEEDS_APPROVAL', 'clerk,lawyer', /lawyer is not a court staff role/],
  ])('%s=%s stops the start naming the variable', (variable, value, message) => {
    try {
      parseConfig({ [variable]: value });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problem = (error as ConfigError).problems.find((p) => p.variable === variable);
      expect(problem?.message).toMatch(message);
    }
  });

  it('decides: listed roles apply, roles needing approval request (only what a judge may apply), others are refused; only a judge approves', () => {
    expect(decideSeal({ role: 'judge', allowed: ['judge', 'courtAdmin'], needsApproval: ['clerk'] })).toBe('apply');
    expect(decideSeal({ role: 'clerk', allowed: ['judge', 'courtAdmin'], needsApproval: ['clerk'] })).toBe('request');
    expect(decideSeal({ role: 'clerk', allowed: ['courtAdmin'], needsApproval: ['clerk'] })).toBe('forbidden');
    expect(decideSeal({ role: 'clerk', allowed: ['judge', 'clerk'], needsApproval: [] })).toBe('apply');
    expect(decideSeal({ role: 'courtAdmin', allowed: ['judge'], needsApproval: ['clerk'] })).toBe('forbidden');
    expect(decideSeal({ role: 'party', allowed: ['judge'], needsApproval: ['clerk'] })).toBe('forbidden');
    expect(mayApproveSeal('judge', ['judge'])).toBe(true);
    expect(mayApproveSeal('clerk', ['judge', 'clerk'])).toBe(false);
    expect(mayApproveSeal('judge', ['courtAdmin'])).toBe(false);
  });
});
