// The blind index of an external identity. Hex-encoded first: the cipher's index folds case
// (meant for ID numbers), and openids differing only in case are different people.
import type { PersonalDataCipher } from '../../platform/personal-data.ts';

export const externalSubjectIndex = (cipher: PersonalDataCipher, provider: string, subject: string): string =>
  cipher.blindIndex(Buffer.from(`${provider}\n${subject}`, 'utf8').toString('hex'));
