// Why a video frame could not be had from a participant: coded, so the identity re-checks can count
// and retry (a camera that is off is not an alert), and never shown to a client as such.

export const VIDEO_FRAME_ERROR_CODES = [
  /** The participant is not admitted: the router takes nothing from their camera. */
  'VIDEO_NOT_ADMITTED',
  /** The participant has no video track (not connected yet, or no camera). */
  'VIDEO_NOT_PUBLISHED',
  /** Their video is not VP8 (the only codec the grabber reads). */
  'VIDEO_CODEC_UNSUPPORTED',
  /** No complete key frame arrived in time (camera off, packets lost, the participant left). */
  'VIDEO_FRAME_TIMEOUT',
  /** The hearing's media closed while waiting. */
  'VIDEO_ROUTER_CLOSED',
  /** The key frame is not one VP8 can start from (corrupt or truncated). */
  'VIDEO_FRAME_INVALID',
  /** ffmpeg is not installed on this node. */
  'VIDEO_DECODER_MISSING',
  /** ffmpeg refused the frame, overran its time limit, or wrote too much. */
  'VIDEO_DECODE_FAILED',
  /** Too many frames are waiting to be decoded on this node. */
  'VIDEO_DECODER_BUSY',
] as const;
export type VideoFrameErrorCode = (typeof VIDEO_FRAME_ERROR_CODES)[number];

export class VideoFrameError extends Error {
  constructor(
    readonly code: VideoFrameErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VideoFrameError';
  }
}
