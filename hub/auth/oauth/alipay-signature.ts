// Alipay open-platform request signing (RSA2 = SHA256withRSA): parameters other than `sign`, with
// non-empty values, sorted by name, joined as k=v&k=v, signed with the court's app private key.
// Answers are signed by Alipay over the exact JSON text of the "<method>_response" member.
import { createSign, createVerify, type KeyObject } from 'node:crypto';

export function alipaySigningContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

export function signAlipayRequest(params: Record<string, string>, privateKey: KeyObject | string): string {
  return createSign('RSA-SHA256').update(alipaySigningContent(params), 'utf8').sign(privateKey, 'base64');
}

/** The exact text Alipay signed in an answer: the value of `"<node>":` up to `,"sign"`. */
export function alipaySignedText(answer: string, node: string): string | null {
  const key = `"${node}":`;
  const start = answer.indexOf(key);
  const end = answer.lastIndexOf(',"sign"');
  if (start < 0 || end < start) return null;
  return answer.slice(start + key.length, end).trim();
}

export function verifyAlipayAnswer(answer: string, node: string, signature: string, alipayPublicKey: KeyObject | string): boolean {
  const signed = alipaySignedText(answer, node);
  if (signed === null) return false;
  return createVerify('RSA-SHA256').update(signed, 'utf8').verify(alipayPublicKey, signature, 'base64');
}

/** Alipay's timestamp: "yyyy-MM-dd HH:mm:ss" in Beijing time (UTC+8, no daylight saving). */
export function alipayTimestamp(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
