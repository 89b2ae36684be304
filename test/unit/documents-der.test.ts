// The DER encoder/reader under the court CA and CMS: the encodings X.509 and CMS rely on.
import { describe, expect, it } from 'vitest';
import * as der from '../../documents/ca/der.ts';
import { serialHex } from '../../documents/ca/x509.ts';

const hex = (bytes: Buffer) => bytes.toString('hex');

describe('DER', () => {
  it('encodes INTEGERs minimally and positive', () => {
    expect(hex(der.integer(0))).toBe('020100');
    expect(hex(der.integer(127))).toBe('02017f');
    expect(hex(der.integer(128))).toBe('02020080');
    expect(hex(der.integer(Buffer.from('0000ff', 'hex')))).toBe('020200ff');
  });

  it('encodes long lengths in the long form', () => {
    const encoded = der.octetString(Buffer.alloc(300));
    expect(hex(encoded.subarray(0, 4))).toBe('0482012c');
    expect(der.read(encoded).content.length).toBe(300);
  });

  it('round-trips object identifiers, including large arcs', () => {
    for (const dotted of ['1.2.840.10045.4.3.2', '2.16.840.1.101.3.4.2.1', '1.2.840.113549.1.9.16.2.47', '2.5.29.19']) {
      expect(der.readOid(der.read(der.oid(dotted)))).toBe(dotted);
    }
    expect(hex(der.oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
  });

  it('encodes named bits (KeyUsage) with the unused-bit count', () => {
    expect(hex(der.namedBits([0, 1]))).toBe('030206c0'); // digitalSignature, nonRepudiation
    expect(hex(der.namedBits([5, 6]))).toBe('03020106'); // keyCertSign, cRLSign
  });

  it('writes UTCTime before 2050 and GeneralizedTime after, and reads both back', () => {
    const early = new Date('2026-11-27T08:30:00Z');
    const late = new Date('2051-01-02T03:04:05Z');
    expect(der.time(early)[0]).toBe(0x17);
    expect(der.time(late)[0]).toBe(0x18);
    expect(der.readTime(der.read(der.time(early))).toISOString()).toBe(early.toISOString());
    expect(der.readTime(der.read(der.time(late))).toISOString()).toBe(late.toISOString());
  });

  it('sorts SET OF members and rejects truncated input', () => {
    expect(hex(der.set(der.integer(2), der.integer(1)))).toBe('3106020101020102');
    expect(() => der.read(Buffer.from('3005020101', 'hex'))).toThrow(der.DerError);
  });

  it('prints serial numbers as X509Certificate does', () => {
    expect(serialHex(Buffer.from('00ab01', 'hex'))).toBe('AB01');
  });
});
