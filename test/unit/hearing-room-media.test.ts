// The hearing room's media plumbing in the browser: which offered m-lines carry our camera and
// microphone, the video grid's tiles from media.state, the device check's result as DEVICE_CHECKED.
import { describe, expect, it } from 'vitest';
import { deviceCheckResult } from '../../actors/hearing/hearing.protocol.ts';
import { offeredLines, publishingMids } from '../../web-components/src/hearing-room/sdp.ts';
import { midsByParticipant, roomTiles } from '../../web-components/src/hearing-room/tiles.ts';
import { deviceCheckResultOf } from '../../actors/hearing/device-check-result.ts';
import type { RoomParticipant } from '../../web-components/src/hearing-room/controls.ts';
import type { DeviceCheckMeasurements } from '../../storage/hearings/device-check.ts';

/** An offer shaped like the media node's: our two upstream m-lines first, then one forwarded pair and a stopped line. */
const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2 3',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=recvonly',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=recvonly',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:2',
  'a=msid:partyA track-a',
  'a=sendonly',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:3',
  'a=sendonly',
  'm=video 0 UDP/TLS/RTP/SAVPF 96',
  'a=mid:4',
  'a=inactive',
  '',
].join('\r\n');

describe('offer reading', () => {
  it('lists the offered m-lines with their direction, leaving out stopped ones', () => {
    expect(offeredLines(OFFER)).toEqual([
      { mid: '0', kind: 'audio', direction: 'recvonly' },
      { mid: '1', kind: 'video', direction: 'recvonly' },
      { mid: '2', kind: 'audio', direction: 'sendonly' },
      { mid: '3', kind: 'video', direction: 'sendonly' },
    ]);
  });

  it('publishes on the m-lines the node offers to receive on', () => {
    expect(publishingMids(OFFER)).toEqual({ audio: '0', video: '1' });
    expect(publishingMids(OFFER.replace(/a=recvonly/g, 'a=sendonly'))).toEqual({ audio: null, video: null });
  });
});

const person = (participantId: string, role: RoomParticipant['role'], status: RoomParticipant['status'], extra: Partial<RoomParticipant> = {}): RoomParticipant => ({
  participantId,
  role,
  displayName: participantId,
  courtId: 'c1',
  status,
  muted: false,
  handRaised: false,
  ...extra,
});

describe('video grid', () => {
  it('has a tile per other present participant, bench first, with their m-lines and mute', () => {
    const participants = [
      person('partyA', 'party', 'inRoom', { handRaised: true }),
      person('me', 'lawyer', 'inRoom'),
      person('judge', 'judge', 'inRoom'),
      person('partyB', 'party', 'reconnecting'),
      person('waiting', 'witness', 'waiting'),
      person('clerk', 'clerk', 'admitted'),
    ];
    const tiles = roomTiles(
      participants,
      [
        { participantId: 'judge', admitted: true, muted: false, audioMid: '2', videoMid: '3' },
        { participantId: 'partyA', admitted: true, muted: true, audioMid: '4', videoMid: '5' },
      ],
      'me',
    );
    expect(tiles.map((tile) => [tile.participant.participantId, tile.audioMid, tile.videoMid, tile.muted, tile.reconnecting])).toEqual([
      ['judge', '2', '3', false, false],
      ['clerk', null, null, false, false],
      ['partyA', '4', '5', true, false],
      ['partyB', null, null, false, true],
    ]);
    expect(midsByParticipant(tiles).get('partyA')).toEqual(['4', '5']);
    expect(midsByParticipant(tiles).get('clerk')).toEqual([]);
  });
});

describe('device check result', () => {
  const measured = (verdict: 'pass' | 'warn' | 'fail', extra: Partial<DeviceCheckMeasurements> = {}) => ({
    camera: { ok: true, width: 640, height: 480 },
    microphone: { ok: true, peakLevel: 0.3 },
    speaker: { confirmed: true },
    browser: { webRtc: true, getUserMedia: true, webAudio: true, opus: true, vp8: true },
    network: { roundTripP50Ms: 23.6, roundTripP95Ms: 60, downloadMbps: 30, uploadMbps: 2.4 },
    verdict,
    reasons: verdict === 'pass' ? [] : ['network.uploadLow'],
    ...extra,
  });

  it('turns the element’s measurements into a result the hearing protocol accepts', () => {
    const result = deviceCheckResultOf(measured('warn'));
    expect(result).toEqual({ passed: true, camera: true, microphone: true, speaker: true, browserSupported: true, roundTripMs: 24, bandwidthKbps: 2400, note: 'warn: network.uploadLow' });
    expect(deviceCheckResult.safeParse(result).success).toBe(true);
  });

  it('reads a stored check wrapped as the POST reply, and a failed one as not passed', () => {
    const result = deviceCheckResultOf({ deviceCheck: measured('fail', { camera: { ok: false, width: null, height: null }, network: { roundTripP50Ms: null, roundTripP95Ms: null, downloadMbps: null, uploadMbps: null } }) });
    expect(result).toMatchObject({ passed: false, camera: false, roundTripMs: null, bandwidthKbps: null });
    expect(deviceCheckResult.safeParse(result).success).toBe(true);
  });

  it('passes a result already in the hearing’s shape through, and refuses anything else', () => {
    const hearingShape = { passed: true, camera: true, microphone: true, speaker: false, browserSupported: true, roundTripMs: 40, bandwidthKbps: 5000 };
    expect(deviceCheckResultOf(hearingShape)).toEqual(hearingShape);
    expect(deviceCheckResultOf(null)).toBeNull();
    expect(deviceCheckResultOf({ passed: 'yes' })).toBeNull();
  });
});
