// Real-name verification (实名核验): does this name belong to this identity document? A court
// plugs in a public-security (公安部身份核验) or third-party adapter here; the local adapter only
// checks what the data itself can show and says so in its record. Every run is recorded as an
// identity check, whichever adapter answered.
import { checkIdNumber, type IdType } from './check-id-number.ts';

export interface RealNameClaim {
  name: string;
  idType: IdType;
  idNumber: string;
}

export interface RealNameCheckStep {
  /** A stable name of the rule or service consulted, e.g. 'id_number_rules'. */
  check: string;
  passed: boolean;
}

export interface RealNameVerdict {
  adapter: string;
  outcome: 'passed' | 'failed';
  checks: RealNameCheckStep[];
  /** What this adapter did NOT check, for whoever reads the record later. */
  limits?: string;
}

export interface RealNameVerifier {
  readonly name: string;
  verify(claim: RealNameClaim): Promise<RealNameVerdict>;
}

/** A name as printed on a Chinese document or in a passport's Latin letters (with · for transliterated names). */
const NAME = /^[\p{Script=Han}\p{L}][\p{Script=Han}\p{L}\p{M}·・.' -]{0,48}[\p{Script=Han}\p{L}.]$/u;

/** Checks the number's own rules and the name's form; consults no registry. */
export function createLocalRealNameVerifier(today?: () => string): RealNameVerifier {
  return {
    name: 'local',
    async verify(claim) {
      const number = checkIdNumber(claim.idType, claim.idNumber, today?.());
      const checks: RealNameCheckStep[] = [
        { check: 'id_number_rules', passed: number.valid },
        { check: 'name_form', passed: NAME.test(claim.name.normalize('NFKC').trim()) },
      ];
      return {
        adapter: 'local',
        outcome: checks.every((step) => step.passed) ? 'passed' : 'failed',
        checks,
        limits: 'no public-security or third-party registry was consulted: the name is not proven to belong to the document',
      };
    },
  };
}
