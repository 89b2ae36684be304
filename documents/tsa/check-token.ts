// Checks an RFC 3161 timestamp token: its CMS signature over the TSTInfo, the TSA certificate
// (timeStamping usage, chain to a trusted court root) and that its imprint is the hash of the data
// it claims to date (for a PDF signature: the signature value, RFC 3161 appendix A).
import { createHash, X509Certificate } from 'node:crypto';
import { OID } from '../ca/x509.ts';
import { chainsToRoot } from '../signing/certificate-chain.ts';
import { checkSignedData } from '../signing/cms.ts';
import { IMPRINT_ALGORITHMS, parseTstInfo, TSP_OID } from './tsp.ts';

export interface TimestampReport {
  /** The TSA's time (genTime), ISO 8601. */
  time: string | null;
  /** The TSA certificate's subject common name. */
  tsa: string | null;
  serial: string | null;
  policy: string | null;
  /** The token's imprint equals the hash of the timestamped data. */
  imprintMatches: boolean;
  /** The TSA's signature over the TSTInfo verifies. */
  signatureValid: boolean;
  /** The TSA certificate chains to a trusted root and is a timestamping certificate. */
  trusted: boolean;
  valid: boolean;
  problems: string[];
}

export function checkTimestampToken(token: Buffer, data: Buffer, roots: X509Certificate[]): TimestampReport {
  const report: TimestampReport = { time: null, tsa: null, serial: null, policy: null, imprintMatches: false, signatureValid: false, trusted: false, valid: false, problems: [] };
  try {
    const check = checkSignedData(token, []);
    if (check.content?.type !== TSP_OID.tstInfo) {
      report.problems.push('the timestamp token does not carry a TSTInfo');
      return report;
    }
    const info = parseTstInfo(check.content.bytes);
    report.time = info.genTime.toISOString();
    report.serial = info.serial.toString('hex').toUpperCase();
    report.policy = info.policy;
    const algorithm = IMPRINT_ALGORITHMS[info.imprint.algorithm];
    report.imprintMatches = algorithm !== undefined && createHash(algorithm.name).update(data).digest().equals(info.imprint.hashedMessage);
    if (!report.imprintMatches) report.problems.push('the timestamp is not over this signature (imprint mismatch)');
    report.signatureValid = check.signatureValid && check.digestMatches;
    if (!report.signatureValid) report.problems.push('the TSA signature does not verify');
    if (!check.signer) report.problems.push('the TSA certificate is not in the token');
    else {
      report.tsa = /CN=([^\n]+)/.exec(check.signer.subject)?.[1] ?? null;
      const timestamping = (check.signer.keyUsage ?? []).includes(OID.timeStamping);
      if (!timestamping) report.problems.push('the TSA certificate is not a timestamping certificate');
      const root = chainsToRoot(check.signer, check.certificates, roots);
      if (!root) report.problems.push('the TSA certificate does not chain to a trusted court CA');
      const at = info.genTime;
      const validThen = at >= new Date(check.signer.validFrom) && at <= new Date(check.signer.validTo);
      if (!validThen) report.problems.push('the TSA certificate was not valid at the timestamp');
      report.trusted = timestamping && root !== undefined && validThen;
    }
  } catch (error) {
    report.problems.push(`the timestamp token cannot be read (${error instanceof Error ? error.message : 'unknown'})`);
    return report;
  }
  report.valid = report.imprintMatches && report.signatureValid && report.trusted;
  return report;
}
