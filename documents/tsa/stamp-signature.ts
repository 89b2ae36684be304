// Adds a signature timestamp (PAdES-T) to a signature already in a PDF: the token goes into the CMS as
// an unsigned attribute, which lies in the /Contents gap outside the signed byte range — so the signed
// bytes do not change and the TSA (possibly remote, so asynchronous) is asked after signing.
import { createHash } from 'node:crypto';
import * as der from '../ca/der.ts';
import { signatureTimestampAttribute, withUnsignedAttribute } from '../signing/cms.ts';
import type { SignedPdf } from '../signing/sign-pdf.ts';
import type { Timestamper } from './timestamper.ts';
import { AppError } from '../../platform/errors.ts';

export async function timestampSignedPdf(signed: SignedPdf, timestamper: Timestamper): Promise<SignedPdf> {
  const [, gapStart, gapEnd] = signed.byteRange;
  const bytes = Buffer.from(signed.bytes);
  const room = gapEnd - gapStart - 2;
  const cms = Buffer.from(der.read(Buffer.from(bytes.subarray(gapStart + 1, gapEnd - 1).toString('latin1'), 'hex')).raw);
  const signatureValue = signatureValueOf(cms);
  const token = await timestamper.token(createHash('sha256').update(signatureValue).digest());
  const stamped = withUnsignedAttribute(cms, signatureTimestampAttribute(token)).toString('hex').toUpperCase();
  if (stamped.length > room) {
    throw new AppError('INTERNAL', `The timestamped signature needs ${stamped.length / 2} bytes, ${room / 2} are reserved / 加时间戳后签名超出预留空间`, { needed: stamped.length / 2, reserved: room / 2 });
  }
  bytes.write(stamped.padEnd(room, '0'), gapStart + 1, 'latin1');
  return { ...signed, bytes };
}

function signatureValueOf(cms: Buffer): Buffer {
  const signedData = der.children(der.children(der.children(der.read(cms))[1]!)[0]!);
  const signerInfo = der.children(der.children(signedData[signedData.length - 1]!)[0]!);
  return Buffer.from(signerInfo[5]!.content);
}
