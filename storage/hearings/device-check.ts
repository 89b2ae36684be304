// 设备检测 (deviceCheck): what a participant's browser measured before a hearing, and the one rule
// that turns it into pass / warn / fail with reasons. Pure (no imports): the hub stores its own
// verdict from the figures, and <ecourt-device-check> shows the same verdict before sending them.

export const DEVICE_CHECK_VERDICTS = ['pass', 'warn', 'fail'] as const;
export type DeviceCheckVerdict = (typeof DEVICE_CHECK_VERDICTS)[number];

/** What the browser found; null where a figure could not be taken. */
export interface DeviceCheckMeasurements {
  camera: { ok: boolean; width: number | null; height: number | null };
  /** peakLevel: the loudest sample seen by the level meter, 0–1 (full scale). */
  microphone: { ok: boolean; peakLevel: number | null };
  /** The user said they heard the test tone. */
  speaker: { confirmed: boolean };
  browser: { webRtc: boolean; getUserMedia: boolean; webAudio: boolean; opus: boolean; vp8: boolean };
  network: { roundTripP50Ms: number | null; roundTripP95Ms: number | null; downloadMbps: number | null; uploadMbps: number | null };
}

/** Why a check is not a plain pass. Codes are stable: the portal translates them. */
export const DEVICE_CHECK_REASONS = {
  'browser.noWebRtc': 'fail',
  'browser.noGetUserMedia': 'fail',
  'browser.noOpus': 'fail',
  'browser.noVp8': 'warn',
  'browser.noWebAudio': 'warn',
  'camera.unavailable': 'fail',
  'camera.lowResolution': 'warn',
  'microphone.unavailable': 'fail',
  'microphone.quiet': 'warn',
  'speaker.unconfirmed': 'fail',
  'network.unmeasured': 'fail',
  'network.roundTripTooSlow': 'fail',
  'network.roundTripSlow': 'warn',
  'network.downloadTooLow': 'fail',
  'network.downloadLow': 'warn',
  'network.uploadTooLow': 'fail',
  'network.uploadLow': 'warn',
} as const satisfies Record<string, Exclude<DeviceCheckVerdict, 'pass'>>;
export type DeviceCheckReason = keyof typeof DEVICE_CHECK_REASONS;
export const isDeviceCheckReason = (code: string): code is DeviceCheckReason => Object.hasOwn(DEVICE_CHECK_REASONS, code);

/**
 * Thresholds. A six-party hearing sends one 360p–480p video with Opus audio (≈ 0.6–1 Mbit/s) and
 * receives five (≈ 2–2.5 Mbit/s); conversation becomes awkward past ≈ 400 ms round trip and breaks
 * down past ≈ 800 ms (ITU-T G.114 puts the comfortable one-way delay under 150 ms).
 */
export const DEVICE_CHECK_LIMITS = {
  roundTripP95FailMs: 800,
  roundTripP95WarnMs: 400,
  roundTripP50WarnMs: 200,
  downloadFailMbps: 1,
  downloadWarnMbps: 2.5,
  uploadFailMbps: 0.5,
  uploadWarnMbps: 1,
  /** Below this peak the meter barely moves: a muted or far-away microphone. */
  quietPeakLevel: 0.02,
  /** Below this the judge sees a blurred face. */
  minVideoHeight: 360,
} as const;

export function deviceCheckVerdict(m: DeviceCheckMeasurements): { verdict: DeviceCheckVerdict; reasons: DeviceCheckReason[] } {
  const L = DEVICE_CHECK_LIMITS;
  const reasons: DeviceCheckReason[] = [];
  const add = (condition: boolean, reason: DeviceCheckReason) => {
    if (condition) reasons.push(reason);
  };
  add(!m.browser.webRtc, 'browser.noWebRtc');
  add(!m.browser.getUserMedia, 'browser.noGetUserMedia');
  add(m.browser.webRtc && !m.browser.opus, 'browser.noOpus');
  add(m.browser.webRtc && !m.browser.vp8, 'browser.noVp8');
  add(!m.browser.webAudio, 'browser.noWebAudio');
  add(!m.camera.ok, 'camera.unavailable');
  add(m.camera.ok && m.camera.height !== null && m.camera.height < L.minVideoHeight, 'camera.lowResolution');
  add(!m.microphone.ok, 'microphone.unavailable');
  add(m.microphone.ok && m.microphone.peakLevel !== null && m.microphone.peakLevel < L.quietPeakLevel, 'microphone.quiet');
  add(!m.speaker.confirmed, 'speaker.unconfirmed');
  const { roundTripP50Ms: p50, roundTripP95Ms: p95, downloadMbps: down, uploadMbps: up } = m.network;
  if (p50 === null || p95 === null || down === null || up === null) {
    reasons.push('network.unmeasured');
  } else {
    add(p95 > L.roundTripP95FailMs, 'network.roundTripTooSlow');
    add(p95 <= L.roundTripP95FailMs && (p95 > L.roundTripP95WarnMs || p50 > L.roundTripP50WarnMs), 'network.roundTripSlow');
    add(down < L.downloadFailMbps, 'network.downloadTooLow');
    add(down >= L.downloadFailMbps && down < L.downloadWarnMbps, 'network.downloadLow');
    add(up < L.uploadFailMbps, 'network.uploadTooLow');
    add(up >= L.uploadFailMbps && up < L.uploadWarnMbps, 'network.uploadLow');
  }
  const verdict: DeviceCheckVerdict = reasons.some((r) => DEVICE_CHECK_REASONS[r] === 'fail') ? 'fail' : reasons.length > 0 ? 'warn' : 'pass';
  return { verdict, reasons };
}

/** Percentile of a sample by the nearest-rank method (p in 0–100); null for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Megabits per second of `bytes` moved in `ms` milliseconds. */
export const megabitsPerSecond = (bytes: number, ms: number): number => (bytes * 8) / 1_000_000 / (Math.max(ms, 0.001) / 1000);

/** One stored check, as the routes answer it. */
export interface DeviceCheck extends DeviceCheckMeasurements {
  id: string;
  hearingId: string;
  account: { userId: string; displayName: string; role: string };
  verdict: DeviceCheckVerdict;
  reasons: DeviceCheckReason[];
  createdAt: Date;
}
