// Identity re-checks from a participant's video, end to end below the hub: a werift peer sends real
// VP8 video of a face fixture through a real HearingRouter; the router's key frame grab, ffmpeg's
// decode and the real face models must find the astronaut (below the threshold to the fixture's own
// descriptor), tell Grace Hopper apart, and find nobody in an empty frame.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recheckVerdict } from '../../hub/hearings/recheck-outcome.ts';
import { HearingRouter } from '../../media/sfu/hearing-router.ts';
import { VideoFrameError } from '../../media/video/video-frame-error.ts';
import { Vp8FrameDecoder } from '../../media/video/vp8-frame-decoder.ts';
import { vp8KeyFrameSize, type Vp8KeyFrame } from '../../media/video/vp8-key-frame-assembler.ts';
import { FaceService } from '../../models/face/face-service.ts';
import { blank, cameraFrame, decodeImage, fixtureBytes, fixtureRaster, type Raster } from '../support/face-images.ts';
import type { MediaTestClient } from '../support/media-client.ts';
import { pause } from '../support/media-samples.ts';
import { joinRouter } from '../support/router-hearing.ts';
import { vp8VideoOf } from '../support/vp8-face-video.ts';

const WAIT = { timeout: 15_000, interval: 50 };
let faces: FaceService;
let astronautDescriptor: number[];
let router: HearingRouter | undefined;
const clients: MediaTestClient[] = [];
const decoder = new Vp8FrameDecoder();

beforeAll(async () => {
  faces = new FaceService();
  await faces.ready();
  astronautDescriptor = (await faces.describe(fixtureBytes('astronaut.png'))).face.descriptor;
}, 60_000);

afterAll(async () => {
  await faces?.close();
});

afterEach(async () => {
  await router?.close();
  router = undefined;
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function hearingWith(ids: string[], admit: string[]): Promise<MediaTestClient[]> {
  router = new HearingRouter({ hearingId: 'h-recheck', loopbackOnly: true });
  return joinRouter(router, ids, admit, clients, WAIT);
}

/** Grabs the participant's next key frame while their camera keeps sending the video. */
async function grabWhileSending(client: MediaTestClient, video: Buffer[][], options: { timeoutMs?: number } = {}): Promise<Vp8KeyFrame> {
  let settled = false;
  const grab = router!.videoFrameGrab(client.participantId, options).finally(() => {
    settled = true;
  });
  grab.catch(() => {});
  for (let index = 0; !settled; index = (index + 1) % video.length) {
    client.sendVideoFrame(video[index]!);
    await pause(20);
  }
  return grab;
}

async function verdictOf(picture: Raster) {
  const [party] = await hearingWith(['party', 'judge'], ['party', 'judge']);
  const frame = await grabWhileSending(party!, vp8VideoOf(picture));
  expect(frame).toMatchObject({ width: 640, height: 480 });
  const png = await decoder.decode(frame);
  const decoded = decodeImage(png);
  expect([decoded.width, decoded.height]).toEqual([640, 480]);
  const analysis = await faces.analyse(png);
  return recheckVerdict(analysis, astronautDescriptor, { threshold: faces.threshold, minFacePx: faces.minFacePx });
}

describe('a face re-check frame from the hearing video', () => {
  it("finds the enrolled astronaut in the party's VP8 video", async () => {
    const verdict = await verdictOf(cameraFrame(fixtureRaster('astronaut.png')));
    expect(verdict.outcome).toBe('match');
    expect(verdict.outcome !== null && verdict.distance).toBeLessThan(faces.threshold);
  }, 60_000);

  it('tells another person (Grace Hopper) apart: mismatch', async () => {
    const verdict = await verdictOf(cameraFrame(fixtureRaster('grace-hopper.jpg')));
    expect(verdict.outcome).toBe('mismatch');
    expect(verdict.outcome !== null && verdict.distance).toBeGreaterThanOrEqual(faces.threshold);
  }, 60_000);

  it('finds nobody in an empty frame: noFace', async () => {
    const verdict = await verdictOf(blank(640, 480, 90));
    expect(verdict).toMatchObject({ outcome: 'noFace', faces: 0 });
  }, 60_000);
});

describe('the router’s key frame grab', () => {
  it('reads only admitted participants, and gives up in time with a coded error', async () => {
    const [, waiting, silent] = await hearingWith(['judge', 'waiting', 'silent'], ['judge', 'silent']);
    expect(waiting).toBeDefined();
    await expect(router!.videoFrameGrab('waiting')).rejects.toMatchObject({ code: 'VIDEO_NOT_ADMITTED' });
    await expect(router!.videoFrameGrab('nobody')).rejects.toMatchObject({ code: 'VIDEO_NOT_ADMITTED' });
    // Admitted but the camera sends nothing.
    await expect(router!.videoFrameGrab(silent!.participantId, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'VIDEO_FRAME_TIMEOUT' });
  }, 60_000);

  it('fails a grab in progress when the hearing media closes', async () => {
    await hearingWith(['party'], ['party']);
    const grab = router!.videoFrameGrab('party', { timeoutMs: 30_000 });
    await router!.close();
    await expect(grab).rejects.toBeInstanceOf(VideoFrameError);
    await expect(grab).rejects.toMatchObject({ code: 'VIDEO_ROUTER_CLOSED' });
    await expect(router!.videoFrameGrab('party')).rejects.toMatchObject({ code: 'VIDEO_ROUTER_CLOSED' });
  }, 60_000);
});

describe('Vp8FrameDecoder', () => {
  const keyFrame = () => {
    const video = vp8VideoOf(blank(320, 240), 1);
    // One frame in werift's packets: drop the 4-byte descriptor of each.
    const data = Buffer.concat(video[0]!.map((payload) => payload.subarray(4)));
    return { data, ...vp8KeyFrameSize(data) };
  };

  it('says clearly when ffmpeg is missing', async () => {
    const missing = new Vp8FrameDecoder({ ffmpegPath: '/nonexistent/ffmpeg' });
    await expect(missing.decode(keyFrame())).rejects.toMatchObject({ code: 'VIDEO_DECODER_MISSING' });
  });

  it('refuses a frame ffmpeg cannot decode, and one too large to try', async () => {
    const frame = keyFrame();
    await expect(decoder.decode({ ...frame, data: frame.data.subarray(0, 20) })).rejects.toMatchObject({ code: 'VIDEO_DECODE_FAILED' });
    await expect(decoder.decode({ ...frame, width: 8000 })).rejects.toMatchObject({ code: 'VIDEO_FRAME_INVALID' });
  });

  it('decodes one frame at a time and refuses beyond its queue', async () => {
    const bounded = new Vp8FrameDecoder({ concurrency: 1, maxQueued: 1 });
    const frame = keyFrame();
    const results = await Promise.allSettled([bounded.decode(frame), bounded.decode(frame), bounded.decode(frame)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'VIDEO_DECODER_BUSY' });
    expect(decodeImage((results[0] as PromiseFulfilledResult<Buffer>).value)).toMatchObject({ width: 320, height: 240 });
  });
});
