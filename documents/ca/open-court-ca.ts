// The node's court CA, located by configuration and unlocked with the node's data key.
import { caDirOf, type Config } from '../../platform/config.ts';
import { loadSecrets } from '../../platform/secrets.ts';
import { CourtCa } from './court-ca.ts';

export function openCourtCa(config: Config): CourtCa {
  // Secrets are loaded only when a private key is used: verifying needs none (and creates none).
  return new CourtCa(caDirOf(config), () => loadSecrets(config).dataKey);
}
