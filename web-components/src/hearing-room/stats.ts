// Connection quality from WebRTC statistics (pc.getStats()): packet loss and bitrate per
// participant over the interval between two snapshots, and the round trip of the candidate pair
// in use. Pure, so the arithmetic is tested without a browser.

/** The part of one inbound-rtp entry we use, keyed by m-line id. */
export interface InboundCounters {
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
}

export interface StatsSnapshot {
  /** Milliseconds (the stats' own timestamp clock). */
  at: number;
  inbound: Map<string, InboundCounters>;
  /** Round trip of the selected ICE candidate pair in ms; null until one is measured. */
  roundTripMs: number | null;
}

export interface ParticipantQuality {
  /** Packets lost in the interval, in % of those expected (received + lost); null when nothing arrived. */
  lossPercent: number | null;
  /** Received bitrate of the participant's audio and video together, kbit/s. */
  kbps: number | null;
  roundTripMs: number | null;
}

type StatsEntry = Record<string, unknown> & { type?: unknown; id?: unknown };

const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** Reads a stats report (an RTCStatsReport's values, or plain objects in tests). */
export function statsSnapshot(entries: Iterable<StatsEntry>): StatsSnapshot {
  const all = [...entries];
  const inbound = new Map<string, InboundCounters>();
  let at = 0;
  for (const entry of all) {
    at = Math.max(at, numberOr(entry.timestamp, 0));
    if (entry.type !== 'inbound-rtp' || typeof entry.mid !== 'string') continue;
    inbound.set(entry.mid, {
      packetsReceived: numberOr(entry.packetsReceived, 0),
      // packetsLost is signed in RTCP (duplicates can make it negative): never count below zero.
      packetsLost: Math.max(0, numberOr(entry.packetsLost, 0)),
      bytesReceived: numberOr(entry.bytesReceived, 0),
    });
  }
  return { at, inbound, roundTripMs: selectedRoundTripMs(all) };
}

/** The pair the transport selected (Chrome, Firefox) or, failing that, the nominated succeeded one. */
function selectedRoundTripMs(entries: StatsEntry[]): number | null {
  const pairs = entries.filter((entry) => entry.type === 'candidate-pair');
  const selectedId = entries.find((entry) => entry.type === 'transport' && typeof entry.selectedCandidatePairId === 'string')?.selectedCandidatePairId;
  const pair =
    pairs.find((entry) => entry.id === selectedId) ??
    pairs.find((entry) => entry.selected === true) ??
    pairs.find((entry) => entry.nominated === true && entry.state === 'succeeded');
  const seconds = pair?.currentRoundTripTime;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
}

/**
 * Quality per participant between two snapshots. `mids` lists the m-lines carrying each
 * participant's media (from media.state). A counter that went backwards (a renegotiated m-line
 * reused for someone else) counts as a fresh start rather than a negative rate.
 */
export function qualityBetween(before: StatsSnapshot, after: StatsSnapshot, mids: Map<string, readonly string[]>): Map<string, ParticipantQuality> {
  const seconds = (after.at - before.at) / 1000;
  const result = new Map<string, ParticipantQuality>();
  for (const [participantId, participantMids] of mids) {
    let received = 0;
    let lost = 0;
    let bytes = 0;
    let seen = false;
    for (const mid of participantMids) {
      const now = after.inbound.get(mid);
      if (!now) continue;
      seen = true;
      const then = before.inbound.get(mid);
      const delta = (key: keyof InboundCounters) => (then && now[key] >= then[key] ? now[key] - then[key] : now[key]);
      received += delta('packetsReceived');
      lost += delta('packetsLost');
      bytes += delta('bytesReceived');
    }
    const expected = received + lost;
    result.set(participantId, {
      lossPercent: seen && expected > 0 ? Math.round((1000 * lost) / expected) / 10 : null,
      kbps: seen && seconds > 0 ? Math.round((bytes * 8) / 1000 / seconds) : null,
      roundTripMs: after.roundTripMs,
    });
  }
  return result;
}
