// Turns a stored device check (storage/hearings/device-check.ts: measurements, verdict, reasons) into
// the hearing's DEVICE_CHECKED result (deviceCheckResult in hearing.protocol.ts): used by the hub when
// a check is stored and by <ecourt-hearing-room> for its element's `device-check-done` event (no
// imports but types, so the browser bundle can take it). A detail already in the hearing's shape is passed through.
import type { DeviceCheckResult } from './hearing.protocol.ts';
import type { DeviceCheckMeasurements, DeviceCheckVerdict } from '../../storage/hearings/device-check.ts';

type MeasuredCheck = DeviceCheckMeasurements & { verdict: DeviceCheckVerdict; reasons?: readonly string[] };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const wholeOrNull = (value: number | null | undefined, max: number): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.min(max, Math.round(value)) : null;

function isHearingResult(detail: Record<string, unknown>): detail is Record<string, unknown> & DeviceCheckResult {
  return ['passed', 'camera', 'microphone', 'speaker', 'browserSupported'].every((key) => typeof detail[key] === 'boolean');
}

function isMeasuredCheck(detail: Record<string, unknown>): detail is Record<string, unknown> & MeasuredCheck {
  return typeof detail.verdict === 'string' && isObject(detail.camera) && isObject(detail.microphone) && isObject(detail.speaker) && isObject(detail.browser) && isObject(detail.network);
}

/** The DEVICE_CHECKED result for an event detail, or null when the detail is not a check. */
export function deviceCheckResultOf(detail: unknown): DeviceCheckResult | null {
  // The element may wrap the stored check ({ deviceCheck }) as its POST reply does.
  const check = isObject(detail) && isObject(detail.deviceCheck) ? detail.deviceCheck : detail;
  if (!isObject(check)) return null;
  if (isHearingResult(check)) {
    return {
      passed: check.passed,
      camera: check.camera,
      microphone: check.microphone,
      speaker: check.speaker,
      browserSupported: check.browserSupported,
      roundTripMs: wholeOrNull(check.roundTripMs, 60_000),
      bandwidthKbps: wholeOrNull(check.bandwidthKbps, 10_000_000),
      ...(typeof check.note === 'string' && check.note.trim() !== '' ? { note: check.note.trim().slice(0, 500) } : {}),
    };
  }
  if (!isMeasuredCheck(check)) return null;
  const { browser, network } = check;
  // The narrower of the two directions limits a hearing (it both sends and receives video).
  const mbps = network.downloadMbps === null || network.uploadMbps === null ? null : Math.min(network.downloadMbps, network.uploadMbps);
  const reasons = (check.reasons ?? []).join(', ');
  return {
    // A warning (slow network, quiet microphone) still lets the participant in; the clerk sees it.
    passed: check.verdict !== 'fail',
    camera: check.camera.ok === true,
    microphone: check.microphone.ok === true,
    speaker: check.speaker.confirmed === true,
    browserSupported: browser.webRtc === true && browser.getUserMedia === true && browser.opus === true,
    roundTripMs: wholeOrNull(network.roundTripP50Ms, 60_000),
    bandwidthKbps: mbps === null ? null : wholeOrNull(mbps * 1000, 10_000_000),
    ...(reasons !== '' ? { note: `${check.verdict}: ${reasons}`.slice(0, 500) } : {}),
  };
}
