// The device check's one rule (storage/hearings/device-check.ts), shared by the hub and the portal:
// each threshold on its edge, severities, and the helpers the component measures with.
import { describe, expect, it } from 'vitest';
import { deviceCheckVerdict, DEVICE_CHECK_LIMITS as L, megabitsPerSecond, percentile, type DeviceCheckMeasurements } from '../../storage/hearings/device-check.ts';

const good = (): DeviceCheckMeasurements => ({
  camera: { ok: true, width: 640, height: 480 },
  microphone: { ok: true, peakLevel: 0.3 },
  speaker: { confirmed: true },
  browser: { webRtc: true, getUserMedia: true, webAudio: true, opus: true, vp8: true },
  network: { roundTripP50Ms: 20, roundTripP95Ms: 60, downloadMbps: 30, uploadMbps: 10 },
});
const withNetwork = (network: Partial<DeviceCheckMeasurements['network']>) => ({ ...good(), network: { ...good().network, ...network } });

describe('device check verdict', () => {
  it('passes a good setup with no reasons', () => {
    expect(deviceCheckVerdict(good())).toEqual({ verdict: 'pass', reasons: [] });
  });

  it('fails what makes a hearing impossible, warns about what makes it worse', () => {
    const cases: [DeviceCheckMeasurements, string, string[]][] = [
      [{ ...good(), camera: { ok: false, width: null, height: null } }, 'fail', ['camera.unavailable']],
      [{ ...good(), camera: { ok: true, width: 320, height: 240 } }, 'warn', ['camera.lowResolution']],
      [{ ...good(), microphone: { ok: false, peakLevel: null } }, 'fail', ['microphone.unavailable']],
      [{ ...good(), microphone: { ok: true, peakLevel: L.quietPeakLevel / 2 } }, 'warn', ['microphone.quiet']],
      [{ ...good(), speaker: { confirmed: false } }, 'fail', ['speaker.unconfirmed']],
      [{ ...good(), browser: { ...good().browser, vp8: false } }, 'warn', ['browser.noVp8']],
      [{ ...good(), browser: { ...good().browser, opus: false } }, 'fail', ['browser.noOpus']],
      [{ ...good(), browser: { ...good().browser, webAudio: false } }, 'warn', ['browser.noWebAudio']],
      // Without WebRTC the codecs cannot be asked: only the missing WebRTC is reported.
      [{ ...good(), browser: { webRtc: false, getUserMedia: true, webAudio: true, opus: false, vp8: false } }, 'fail', ['browser.noWebRtc']],
      [withNetwork({ downloadMbps: null }), 'fail', ['network.unmeasured']],
      [withNetwork({ roundTripP95Ms: L.roundTripP95FailMs + 1 }), 'fail', ['network.roundTripTooSlow']],
      [withNetwork({ roundTripP95Ms: L.roundTripP95FailMs }), 'warn', ['network.roundTripSlow']],
      [withNetwork({ roundTripP50Ms: L.roundTripP50WarnMs + 1 }), 'warn', ['network.roundTripSlow']],
      [withNetwork({ roundTripP95Ms: L.roundTripP95WarnMs }), 'pass', []],
      [withNetwork({ downloadMbps: L.downloadFailMbps - 0.01 }), 'fail', ['network.downloadTooLow']],
      [withNetwork({ downloadMbps: L.downloadFailMbps }), 'warn', ['network.downloadLow']],
      [withNetwork({ downloadMbps: L.downloadWarnMbps }), 'pass', []],
      [withNetwork({ uploadMbps: L.uploadFailMbps - 0.01 }), 'fail', ['network.uploadTooLow']],
      [withNetwork({ uploadMbps: L.uploadFailMbps }), 'warn', ['network.uploadLow']],
      [withNetwork({ uploadMbps: L.uploadWarnMbps }), 'pass', []],
    ];
    for (const [measurements, verdict, reasons] of cases) expect(deviceCheckVerdict(measurements), JSON.stringify(measurements)).toEqual({ verdict, reasons });
  });

  it('fails when any reason fails, even beside warnings', () => {
    const m = { ...withNetwork({ downloadMbps: 2 }), speaker: { confirmed: false } };
    expect(deviceCheckVerdict(m)).toEqual({ verdict: 'fail', reasons: ['speaker.unconfirmed', 'network.downloadLow'] });
  });
});

describe('measurement helpers', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = [12, 3, 7, 100, 5, 9, 4, 8, 6, 10];
    expect(percentile(samples, 50)).toBe(7);
    expect(percentile(samples, 95)).toBe(100);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeNull();
    expect(samples).toEqual([12, 3, 7, 100, 5, 9, 4, 8, 6, 10]);
  });

  it('turns bytes over milliseconds into Mbit/s', () => {
    expect(megabitsPerSecond(1_000_000, 1000)).toBe(8);
    expect(megabitsPerSecond(1024 * 1024, 250)).toBeCloseTo(33.55, 2);
  });
});
