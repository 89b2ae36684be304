// The messages hub nodes exchange about hearing media: what a relay forwards, what the owner answers
// and returns, each decoded with checks — a malformed, oversized or unknown message is refused with
// a MediaRelayProtocolError, never passed on.
import { describe, expect, it } from 'vitest';
import {
  decodeForwardedSignal,
  decodeRelayReply,
  decodeReturnedSignal,
  encodeForwardedSignal,
  encodeRelayReply,
  encodeReturnedSignal,
  MediaRelayProtocolError,
  RELAY_MESSAGE_MAX_BYTES,
  type ForwardedSignal,
} from '../../hub/hearings/media-relay-protocol.ts';
import { hearingLeaseKey, mediaLeaseBucket, mediaRelaySubjects } from '../../hub/hearings/media-relay-subjects.ts';
import { SDP_MAX_BYTES } from '../../media/signalling/protocol.ts';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const forwarded: ForwardedSignal = {
  v: 1,
  hearingId: 'h-1',
  participantId: 'p-1',
  accountId: 'a-1',
  relayNode: 'hub-b',
  link: 'link-1',
  signal: { v: 1, type: 'media.answer', sdp: 'v=0\r\n' },
};

describe('media relay protocol', () => {
  it('round-trips a forwarded signal, a reply and a returned signal', () => {
    expect(decodeForwardedSignal(encodeForwardedSignal(forwarded))).toEqual(forwarded);
    const join = { ...forwarded, signal: { v: 1, type: 'media.join', hearingId: 'h-1' } } as const;
    expect(decodeForwardedSignal(encodeForwardedSignal(join))).toEqual(join);
    for (const status of ['ok', 'notOwner', 'refused'] as const) expect(decodeRelayReply(encodeRelayReply(status))).toBe(status);
    const returned = { v: 1, hearingId: 'h-1', participantId: 'p-1', link: 'link-1', signal: { v: 1, type: 'media.error', code: 'MEDIA_HEARING_MOVED', message: 'join again' } } as const;
    expect(decodeReturnedSignal(encodeReturnedSignal(returned))).toEqual(returned);
    const offer = { ...returned, signal: { v: 1, type: 'media.offer', sdp: 'v=0\r\n', revision: 3 } } as const;
    expect(decodeReturnedSignal(encodeReturnedSignal(offer))).toEqual(offer);
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['another version', { ...forwarded, v: 2 }],
    ['a missing id', { ...forwarded, link: undefined }],
    ['an empty id', { ...forwarded, participantId: '' }],
    ['an id over 128 characters', { ...forwarded, hearingId: 'h'.repeat(129) }],
    ['an unknown field', { ...forwarded, admitted: true }],
    ['an unknown signal type', { ...forwarded, signal: { v: 1, type: 'media.mute' } }],
    ['a signal that is not valid', { ...forwarded, signal: { v: 1, type: 'media.ice', candidate: { candidate: 1 } } }],
    ['more than the size limit', { ...forwarded, signal: { v: 1, type: 'media.answer', sdp: 'x'.repeat(RELAY_MESSAGE_MAX_BYTES) } }],
  ])('refuses a forwarded signal with %s', (_what, value) => {
    expect(() => decodeForwardedSignal(bytes(value))).toThrow(MediaRelayProtocolError);
  });

  it('passes an SDP up to the client limit', () => {
    const large = { ...forwarded, signal: { v: 1, type: 'media.offer', sdp: 'x'.repeat(SDP_MAX_BYTES) } } as const;
    expect(decodeForwardedSignal(encodeForwardedSignal(large)).signal).toEqual(large.signal);
  });

  it('refuses unknown reply statuses and returned signals the client protocol does not know', () => {
    expect(() => decodeRelayReply(bytes({ v: 1, status: 'maybe' }))).toThrow(MediaRelayProtocolError);
    const returned = { v: 1, hearingId: 'h-1', participantId: 'p-1', link: 'link-1' };
    expect(() => decodeReturnedSignal(bytes({ ...returned, signal: { v: 1, type: 'media.leave' } }))).toThrow(MediaRelayProtocolError);
    expect(() => decodeReturnedSignal(bytes({ ...returned, signal: { v: 1, type: 'media.error', code: 'INTERNAL', message: 'x' } }))).toThrow(
      MediaRelayProtocolError,
    );
  });

  it('builds the subjects and lease names under the namespace, ids as safe tokens', () => {
    expect(mediaLeaseBucket('ns1')).toBe('ecourt_media_leases_ns1');
    const subjects = mediaRelaySubjects('ns1');
    expect(subjects.signalsTo('hub.a b')).toMatch(/^ns1\.media\.owner\.[A-Za-z0-9_-]+\.signals$/);
    expect(subjects.repliesTo('hub.a b')).toMatch(/^ns1\.media\.relay\.[A-Za-z0-9_-]+\.signals$/);
    expect(hearingLeaseKey('h/1.2')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
