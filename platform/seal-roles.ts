// Who may apply which seal (用印权限), from configuration: ECOURT_SEAL_ROLES names, per seal, the roles
// that apply it at once; ECOURT_SEAL_NEEDS_APPROVAL the roles whose sealing is only a request a judge
// of the case approves (用印审批). Pure rules, parsed once at start so a bad value stops the node.
import { COURT_STAFF_ROLES, type Role } from './roles.ts';

/**
 * Seal classes a rule may name instead of one seal: `court` = the court's seals (court-seal and
 * special-seal certificates), `judgeSignature` = a person's signature certificate. Any other key is
 * one certificate id of the court CA, and its rule wins over its class's.
 */
export const SEAL_CLASSES = ['court', 'judgeSignature'] as const;
export type SealClass = (typeof SEAL_CLASSES)[number];

export const DEFAULT_SEAL_ROLES = 'court:judge,courtAdmin;judgeSignature:judge';
export const DEFAULT_SEAL_NEEDS_APPROVAL = 'clerk';

export type SealRoles = Readonly<Record<string, readonly Role[]>>;

const KEY = /^(?:court|judgeSignature|[a-z0-9][a-z0-9-]{0,62})$/;

/** Only court staff seal; anything else is a configuration mistake worth stopping for. */
function staffRoles(list: string, where: string): Role[] {
  const roles = [...new Set(list.split(',').map((role) => role.trim()).filter((role) => role !== ''))];
  const wrong = roles.filter((role) => !(COURT_STAFF_ROLES as readonly string[]).includes(role));
  if (wrong.length > 0) throw new Error(`${where}: ${wrong.join(', ')} is not a court staff role (${COURT_STAFF_ROLES.join(', ')})`);
  return roles as Role[];
}

/** "court:judge,courtAdmin;judgeSignature:judge" → { court: [judge, courtAdmin], judgeSignature: [judge] }; throws on a bad value. */
export function parseSealRoles(value: string): SealRoles {
  const rules: Record<string, Role[]> = {};
  for (const part of value.split(';').map((item) => item.trim()).filter((item) => item !== '')) {
    const colon = part.indexOf(':');
    const key = colon < 0 ? '' : part.slice(0, colon).trim();
    if (!KEY.test(key)) throw new Error(`"${part}" must be <seal>:<role>,<role> with <seal> one of ${SEAL_CLASSES.join(', ')} or a certificate id`);
    if (key in rules) throw new Error(`"${key}" is named twice`);
    const roles = staffRoles(part.slice(colon + 1), `"${key}"`);
    if (roles.length === 0) throw new Error(`"${key}" names no role`);
    rules[key] = roles;
  }
  if (Object.keys(rules).length === 0) throw new Error('names no seal: no one could seal');
  return rules;
}

/** "clerk" → [clerk]; "none" → [] (every role in ECOURT_SEAL_ROLES seals at once). */
export function parseSealApprovalRoles(value: string): Role[] {
  return value.trim() === 'none' ? [] : staffRoles(value, 'roles');
}

/** The class of a certificate kind; null for a certificate that is no seal (e.g. the time-stamping authority's). */
export function sealClassOf(kind: string): SealClass | null {
  if (kind === 'person') return 'judgeSignature';
  return kind === 'court-seal' || kind === 'special-seal' ? 'court' : null;
}

/** The roles that may apply this seal at once: its own rule, else its class's; nobody for a certificate that is no seal. */
export function rolesForSeal(rules: SealRoles, seal: { id: string; kind: string }): readonly Role[] {
  const sealClass = sealClassOf(seal.kind);
  if (sealClass === null) return [];
  return rules[seal.id] ?? rules[sealClass] ?? [];
}

export type SealDecision = 'apply' | 'request' | 'forbidden';

/**
 * What a role's sealing does: a role that needs approval only requests — and only for a seal a judge
 * may apply, since a judge of the case approves it; a role the seal's rule names applies at once.
 */
export function decideSeal(options: { role: string; allowed: readonly Role[]; needsApproval: readonly Role[]; signature?: boolean }): SealDecision {
  // A person's signature is applied by its holder only, never through someone else's approval.
  if ((options.needsApproval as readonly string[]).includes(options.role)) return options.allowed.includes('judge') && !options.signature ? 'request' : 'forbidden';
  return (options.allowed as readonly string[]).includes(options.role) ? 'apply' : 'forbidden';
}

/** A judge approves a request only for a seal a judge may apply. */
export const mayApproveSeal = (role: string, allowed: readonly Role[]): boolean => role === 'judge' && allowed.includes('judge');

/** A seal as the ownership rule sees it: a `person` certificate may name its holder's account. */
export interface SignatureSeal {
  kind: string;
  name: string;
  holder?: { userId: string };
}

/**
 * Whether this account may apply a person's signature (签名只能本人使用). Seals are the court's: always.
 * A bound signature: only its holder. An unbound one (issued before binding existed): a judge whose
 * account name is exactly the name the certificate signs with — so no one signs in another's name, old
 * certificates keep working for the judge they were made for, and `ecourt ca bind` ends the guess.
 */
export function signatureIsTheirs(seal: SignatureSeal, account: { userId: string; role: string; displayName: string | null }): boolean {
  if (seal.kind !== 'person') return true;
  if (seal.holder) return seal.holder.userId === account.userId;
  return account.role === 'judge' && account.displayName !== null && account.displayName.trim() === seal.name.trim();
}
