// Signalling validation: sizes, unknown types, garbage and protocol misuse get coded media.error replies.
import { afterEach, describe, expect, it } from 'vitest';
import { HearingRouter } from '../../media/sfu/hearing-router.ts';
import {
  CANDIDATE_MAX_BYTES,
  parseClientSignal,
  SDP_MAX_BYTES,
  SIGNAL_MAX_BYTES,
  type ServerSignal,
} from '../../media/signalling/protocol.ts';

describe('parseClientSignal', () => {
  const codeOf = (raw: unknown) => {
    const parsed = parseClientSignal(raw);
    return parsed.ok ? 'ok' : parsed.error.code;
  };

  it('accepts every client message type of version 1, as JSON text or decoded', () => {
    expect(codeOf(JSON.stringify({ v: 1, type: 'media.join', hearingId: 'h-1' }))).toBe('ok');
    expect(codeOf({ v: 1, type: 'media.answer', sdp: 'v=0\r\n' })).toBe('ok');
    expect(codeOf({ v: 1, type: 'media.offer', sdp: 'v=0\r\n' })).toBe('ok');
    expect(codeOf({ v: 1, type: 'media.ice', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } })).toBe('ok');
    expect(codeOf({ v: 1, type: 'media.ice', candidate: null })).toBe('ok');
    expect(codeOf(Buffer.from(JSON.stringify({ v: 1, type: 'media.leave' })))).toBe('ok');
  });

  it('refuses an SDP over 64 KiB and a candidate over 1 KiB', () => {
    expect(codeOf({ v: 1, type: 'media.answer', sdp: 'a'.repeat(SDP_MAX_BYTES + 1) })).toBe('MEDIA_TOO_LARGE');
    // Multi-byte characters count as bytes, not as characters.
    expect(codeOf({ v: 1, type: 'media.answer', sdp: '笔'.repeat(SDP_MAX_BYTES / 3 + 1) })).toBe('MEDIA_TOO_LARGE');
    expect(codeOf({ v: 1, type: 'media.answer', sdp: 'a'.repeat(SDP_MAX_BYTES) })).toBe('ok');
    expect(codeOf({ v: 1, type: 'media.ice', candidate: { candidate: 'c'.repeat(CANDIDATE_MAX_BYTES + 1) } })).toBe('MEDIA_TOO_LARGE');
    expect(codeOf('x'.repeat(SIGNAL_MAX_BYTES + 1))).toBe('MEDIA_TOO_LARGE');
  });

  it('refuses unknown types, other versions and garbage with distinct codes', () => {
    expect(codeOf({ v: 1, type: 'media.publish' })).toBe('MEDIA_UNKNOWN_TYPE');
    expect(codeOf({ v: 1 })).toBe('MEDIA_UNKNOWN_TYPE');
    expect(codeOf({ v: 2, type: 'media.leave' })).toBe('MEDIA_UNSUPPORTED_VERSION');
    expect(codeOf('{not json')).toBe('MEDIA_BAD_MESSAGE');
    expect(codeOf(Buffer.from([0xff, 0x00, 0x13]))).toBe('MEDIA_BAD_MESSAGE');
    expect(codeOf(null)).toBe('MEDIA_BAD_MESSAGE');
    expect(codeOf([1, 2])).toBe('MEDIA_BAD_MESSAGE');
    expect(codeOf(42)).toBe('MEDIA_BAD_MESSAGE');
    expect(codeOf({ v: 1, type: 'media.answer' })).toBe('MEDIA_BAD_MESSAGE');
    expect(codeOf({ v: 1, type: 'media.answer', sdp: 'v=0', extra: true })).toBe('MEDIA_BAD_MESSAGE');
    expect(codeOf({ v: 1, type: 'media.ice', candidate: { candidate: 'x', sdpMLineIndex: -1 } })).toBe('MEDIA_BAD_MESSAGE');
  });
});

describe('hearing router signalling errors', () => {
  let router: HearingRouter | undefined;
  afterEach(async () => {
    await router?.close();
    router = undefined;
  });

  async function replies(hearing: HearingRouter, participantId: string, raw: unknown): Promise<ServerSignal[]> {
    const sent: ServerSignal[] = [];
    await hearing.handleSignal(participantId, raw, (message) => sent.push(message));
    return sent;
  }

  it('answers bad messages with coded errors and keeps the participant connected state untouched', async () => {
    router = new HearingRouter({ hearingId: 'h-sig', loopbackOnly: true });
    expect(await replies(router, 'p', 'garbage')).toEqual([expect.objectContaining({ type: 'media.error', code: 'MEDIA_BAD_MESSAGE' })]);
    expect(await replies(router, 'p', { v: 1, type: 'media.mute', participantId: 'judge' })).toEqual([
      expect.objectContaining({ type: 'media.error', code: 'MEDIA_UNKNOWN_TYPE' }),
    ]);
    expect(await replies(router, 'p', { v: 1, type: 'media.answer', sdp: 'x'.repeat(SDP_MAX_BYTES + 10) })).toEqual([
      expect.objectContaining({ type: 'media.error', code: 'MEDIA_TOO_LARGE' }),
    ]);
    expect(await replies(router, 'p', { v: 1, type: 'media.answer', sdp: 'v=0' })).toEqual([
      expect.objectContaining({ type: 'media.error', code: 'MEDIA_NOT_JOINED' }),
    ]);
    expect(await replies(router, 'p', { v: 1, type: 'media.join', hearingId: 'another' })).toEqual([
      expect.objectContaining({ type: 'media.error', code: 'MEDIA_BAD_MESSAGE' }),
    ]);
    expect(router.participantIds).toEqual([]);
  });

  it('refuses client offers and answers nobody asked for once joined', async () => {
    router = new HearingRouter({ hearingId: 'h-sig-2', loopbackOnly: true });
    const sent: ServerSignal[] = [];
    const send = (message: ServerSignal) => sent.push(message);
    await router.handleSignal('p', { v: 1, type: 'media.join', hearingId: 'h-sig-2' }, send);
    await router.handleSignal('p', { v: 1, type: 'media.offer', sdp: 'v=0\r\n' }, send);
    expect(sent).toContainEqual(expect.objectContaining({ type: 'media.error', code: 'MEDIA_OFFER_REFUSED' }));
    // Wait for the server's offer, then send an answer that is not SDP.
    await expect.poll(() => sent.some((m) => m.type === 'media.offer')).toBe(true);
    await router.handleSignal('p', { v: 1, type: 'media.answer', sdp: 'not sdp at all' }, send);
    expect(sent).toContainEqual(expect.objectContaining({ type: 'media.error', code: 'MEDIA_NEGOTIATION_FAILED' }));
    await router.handleSignal('p', { v: 1, type: 'media.leave' }, send);
    expect(router.participantIds).toEqual([]);
  });
});
