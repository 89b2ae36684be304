// What this browser offers a hearing: WebRTC, camera/microphone access, WebAudio, and the codecs
// the hub's SFU forwards (Opus audio, VP8 video), asked of RTCRtpSender.getCapabilities.
import type { DeviceCheckMeasurements } from '../../../storage/hearings/device-check.ts';

const hasCodec = (kind: 'audio' | 'video', mimeType: string): boolean => {
  try {
    return (RTCRtpSender.getCapabilities?.(kind)?.codecs ?? []).some((codec) => codec.mimeType.toLowerCase() === mimeType);
  } catch {
    return false;
  }
};

export function browserSupport(): DeviceCheckMeasurements['browser'] {
  const webRtc = typeof RTCPeerConnection === 'function';
  return {
    webRtc,
    getUserMedia: typeof navigator.mediaDevices?.getUserMedia === 'function',
    webAudio: typeof AudioContext === 'function',
    opus: webRtc && typeof RTCRtpSender === 'function' && hasCodec('audio', 'audio/opus'),
    vp8: webRtc && typeof RTCRtpSender === 'function' && hasCodec('video', 'video/vp8'),
  };
}
