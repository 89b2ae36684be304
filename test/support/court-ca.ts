// A court CA made in a test's temp dir for a demo platform's node, as `ecourt ca init` would make it: its
// keys sealed with the data key the hub is given (the node unlocks them with ECOURT_DATA_KEY), the court
// seal ('court') issued. Shared by the tests that seal, issue and archive documents on a running node.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CourtCa } from '../../documents/ca/court-ca.ts';

export const DEMO_COURT = '北京市海淀区人民法院';

export interface NodeCourtCa {
  ca: CourtCa;
  /** Spread into the platform's env: the node's data key and CA directory. */
  env: { ECOURT_DATA_KEY: string; ECOURT_CA_DIR: string };
}

/** The CA in `<dir>/ca`, initialised for `court` with its court seal. */
export function courtCaForNode(dir: string, { court = DEMO_COURT, courtCode = '1101080000001' }: { court?: string; courtCode?: string } = {}): NodeCourtCa {
  const dataKey = randomBytes(32);
  const caDir = join(dir, 'ca');
  const ca = new CourtCa(caDir, dataKey);
  ca.init({ court, courtCode });
  ca.issue({ id: 'court', kind: 'court-seal', name: court });
  return { ca, env: { ECOURT_DATA_KEY: dataKey.toString('hex'), ECOURT_CA_DIR: caDir } };
}
