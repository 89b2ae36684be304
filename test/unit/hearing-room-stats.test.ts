// Connection quality for judge and clerk (web-components/src/hearing-room/stats.ts): loss % and
// bitrate per participant from two getStats() snapshots, and the selected pair's round trip.
import { describe, expect, it } from 'vitest';
import { qualityBetween, statsSnapshot } from '../../web-components/src/hearing-room/stats.ts';

const inbound = (mid: string, packetsReceived: number, packetsLost: number, bytesReceived: number, timestamp: number) => ({
  id: `IT01${mid}`,
  type: 'inbound-rtp',
  kind: Number(mid) % 2 === 0 ? 'audio' : 'video',
  mid,
  packetsReceived,
  packetsLost,
  bytesReceived,
  timestamp,
});

/** Chrome names the selected pair on the transport entry; a second, unused pair is there too. */
const transport = (rttSeconds: number, timestamp: number) => [
  { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP2', timestamp },
  { id: 'CP1', type: 'candidate-pair', state: 'failed', currentRoundTripTime: 9, timestamp },
  { id: 'CP2', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: rttSeconds, timestamp },
];

describe('connection quality', () => {
  const mids = new Map([
    ['partyA', ['2', '3']],
    ['partyB', ['4', '5']],
  ]);

  it('computes loss % and kbit/s per participant over the interval, with the selected pair’s round trip', () => {
    const before = statsSnapshot([inbound('2', 1000, 0, 100_000, 10_000), inbound('3', 5000, 10, 2_000_000, 10_000), inbound('4', 1000, 0, 50_000, 10_000), ...transport(0.03, 10_000)]);
    // Two seconds later: partyA got 100 audio + 890 video packets and lost 10 (1 %); 250 kB = 1000 kbit/s.
    const after = statsSnapshot([inbound('2', 1100, 0, 120_000, 12_000), inbound('3', 5890, 20, 2_230_000, 12_000), inbound('4', 1000, 0, 50_000, 12_000), ...transport(0.0456, 12_000)]);
    const quality = qualityBetween(before, after, mids);
    expect(quality.get('partyA')).toEqual({ lossPercent: 1, kbps: 1000, roundTripMs: 46 });
    // Nothing arrived from partyB (muted audio, video m-line not negotiated yet): no loss figure, 0 kbit/s.
    expect(quality.get('partyB')).toEqual({ lossPercent: null, kbps: 0, roundTripMs: 46 });
  });

  it('treats a counter that went back (an m-line reused after renegotiation) as a fresh start', () => {
    const before = statsSnapshot([inbound('2', 9000, 50, 900_000, 0)]);
    const after = statsSnapshot([inbound('2', 100, 0, 10_000, 1000)]);
    expect(qualityBetween(before, after, mids).get('partyA')).toEqual({ lossPercent: 0, kbps: 80, roundTripMs: null });
  });

  it('never counts negative loss (duplicates) and has no figures for a participant without m-lines', () => {
    const before = statsSnapshot([inbound('2', 100, 0, 0, 0)]);
    const after = statsSnapshot([inbound('2', 200, -3, 0, 1000)]);
    const quality = qualityBetween(before, after, new Map([['partyA', ['2']], ['judge', []]]));
    expect(quality.get('partyA')?.lossPercent).toBe(0);
    expect(quality.get('judge')).toEqual({ lossPercent: null, kbps: null, roundTripMs: null });
  });

  it('falls back to the nominated succeeded pair when no transport names one (Firefox: selected)', () => {
    expect(statsSnapshot([{ id: 'a', type: 'candidate-pair', selected: true, currentRoundTripTime: 0.12 }]).roundTripMs).toBe(120);
    expect(statsSnapshot([{ id: 'b', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.005 }]).roundTripMs).toBe(5);
    expect(statsSnapshot([{ id: 'c', type: 'candidate-pair', state: 'in-progress' }]).roundTripMs).toBeNull();
  });
});
