// Chain building against the court roots a verifier trusts: shared by PDF signatures and the
// timestamp tokens inside them (documents/tsa).
import type { X509Certificate } from 'node:crypto';

/** The trusted root the signer chains to, through the certificates carried with the signature, if any. */
export function chainsToRoot(signer: X509Certificate, carried: X509Certificate[], roots: X509Certificate[]): X509Certificate | undefined {
  let current = signer;
  for (let depth = 0; depth < 5; depth++) {
    const root = roots.find((candidate) => current.checkIssued(candidate) && current.verify(candidate.publicKey));
    if (root) return root;
    const next = carried.find((candidate) => candidate !== current && candidate.ca && current.checkIssued(candidate) && current.verify(candidate.publicKey));
    if (!next) return undefined;
    current = next;
  }
  return undefined;
}
