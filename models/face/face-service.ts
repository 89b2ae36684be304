// The face service: one or two worker threads (each loads the tfjs wasm backend and the face models
// once) behind one bounded queue with a per-job time limit. describe() turns an image into exactly one
// face's descriptor or a coded refusal; compare() and verify() decide whether two faces are one person.
// It stores nothing: descriptors are personal data and whoever keeps one seals it (platform/personal-data.ts).
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
// Loaded here, in the thread that starts the workers, so that libvips stays loaded while any worker runs
// (the worker decodes with it; on glibc a library first opened by a worker is unloaded when it ends).
import 'sharp';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { matchDescriptors, MATCH_THRESHOLD, MIN_FACE_PX, singleFace, type DetectedFace, type FaceAnalysis, type FaceMatch } from './face-match.ts';
import { IMAGE_LIMITS, readImageHeader, type ImageFormat } from './image-header.ts';

const WORKER_URL = new URL('./face-analysis.worker.mjs', import.meta.url);
/** TinyFaceDetector's input side as shipped: measured in docs/BENCHMARKS-IDENTITY.md against 256. */
export const DETECTOR_INPUT_SIZE = 320;

/** TinyFaceDetector is the service's; SSD MobileNet v1 is three times slower and only the benchmark's peer. */
export type FaceDetectorName = 'tiny' | 'ssd';

export interface FaceServiceOptions {
  /** Worker threads, each using one core while it works (default 1). */
  workers?: number;
  /** Jobs waiting beyond the running ones; more are refused with FACE_BUSY. */
  maxQueued?: number;
  /** A job (decode + detection) still running after this is refused with FACE_BUSY and its worker replaced. */
  timeoutMs?: number;
  detector?: FaceDetectorName;
  /**
   * TinyFaceDetector's input side (default 320; a multiple of 32). 256 saves ≈ 30 ms a frame but misses a
   * second, smaller face in view (a person further back), which must refuse the frame: the benchmark's peer.
   */
  detectorInputSize?: number;
  minFacePx?: number;
  threshold?: number;
  imageLimits?: typeof IMAGE_LIMITS;
}

export interface AnalysedImage extends FaceAnalysis {
  format: ImageFormat;
  /** Hex SHA-256 of the bytes analysed: evidence of which image was checked, without keeping it. */
  sha256: string;
  /** Time spent in the worker (decode + detection + landmarks + descriptors). */
  workerMs: number;
}

export interface FaceDescription {
  face: DetectedFace;
  image: { format: ImageFormat; width: number; height: number; sha256: string };
}

export interface FaceComparison extends FaceMatch {
  /** The faces compared: boxes and image hashes (no descriptors, which are personal data). */
  faces: { box: DetectedFace['box']; sha256?: string }[];
}

interface Job {
  id: number;
  bytes: Uint8Array;
  format: ImageFormat;
  resolve(result: { analysis: FaceAnalysis; workerMs: number }): void;
  reject(error: Error): void;
}

interface WorkerReply {
  id: number | 'warm-up';
  result?: FaceAnalysis | null;
  error?: { code: string; message: string };
}

/** One worker thread and the job it runs. */
interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: Job | null;
  startedAt: number;
  timer: NodeJS.Timeout | null;
}

export class FaceService {
  readonly threshold: number;
  readonly minFacePx: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly maxQueued: number;
  private readonly timeoutMs: number;
  private readonly detector: FaceDetectorName;
  private readonly detectorInputSize: number;
  private readonly imageLimits: typeof IMAGE_LIMITS;
  private nextId = 1;
  private closed = false;

  constructor(options: FaceServiceOptions = {}) {
    const workers = options.workers ?? 1;
    if (!Number.isInteger(workers) || workers < 1 || workers > 4) throw new RangeError('workers must be 1–4');
    this.maxQueued = options.maxQueued ?? 8;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.detector = options.detector ?? 'tiny';
    this.detectorInputSize = options.detectorInputSize ?? DETECTOR_INPUT_SIZE;
    if (!Number.isInteger(this.detectorInputSize) || this.detectorInputSize % 32 !== 0 || this.detectorInputSize < 128 || this.detectorInputSize > 608) {
      throw new RangeError('detectorInputSize must be a multiple of 32 between 128 and 608');
    }
    this.threshold = options.threshold ?? MATCH_THRESHOLD;
    this.minFacePx = options.minFacePx ?? MIN_FACE_PX;
    this.imageLimits = options.imageLimits ?? IMAGE_LIMITS;
    for (let index = 0; index < workers; index += 1) this.slots.push(this.startSlot());
  }

  /** Resolves once every worker has loaded its models (the first job would otherwise wait for it). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.ready));
  }

  /** Every face in the image, unjudged (the liveness check and the benchmark use this). */
  async analyse(bytes: Uint8Array): Promise<AnalysedImage> {
    const header = readImageHeader(bytes, this.imageLimits);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { analysis, workerMs } = await this.enqueue(bytes, header.format);
    return { ...analysis, format: header.format, sha256, workerMs };
  }

  /** Exactly one face big enough to compare, or FACE_NONE / FACE_MULTIPLE / FACE_TOO_SMALL / IMAGE_*. */
  async describe(bytes: Uint8Array): Promise<FaceDescription> {
    const analysed = await this.analyse(bytes);
    const face = singleFace(analysed, this.minFacePx);
    return { face, image: { format: analysed.format, width: analysed.width, height: analysed.height, sha256: analysed.sha256 } };
  }

  /** Are the faces in two images one person? */
  async compare(a: Uint8Array, b: Uint8Array): Promise<FaceComparison> {
    const [first, second] = await Promise.all([this.describeNamed(a, 'a'), this.describeNamed(b, 'b')]);
    return {
      ...matchDescriptors(first.face.descriptor, second.face.descriptor, this.threshold),
      faces: [first, second].map(({ face, image }) => ({ box: face.box, sha256: image.sha256 })),
    };
  }

  /** describe(), with a refusal saying which of two images it concerns (details.image). */
  private async describeNamed(bytes: Uint8Array, image: 'a' | 'b'): Promise<FaceDescription> {
    try {
      return await this.describe(bytes);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
      throw new AppError(error.code, error.message, { ...(error.details as object | undefined), image }, { cause: error });
    }
  }

  /** Is the face in a live frame the enrolled person's? */
  async verify(enrolledDescriptor: readonly number[], frame: Uint8Array): Promise<FaceComparison> {
    const live = await this.describe(frame);
    return {
      ...matchDescriptors(enrolledDescriptor, live.face.descriptor, this.threshold),
      faces: [{ box: live.face.box, sha256: live.image.sha256 }],
    };
  }

  /** Stops the workers; queued and running jobs are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopping = new AppError('FACE_BUSY', 'The face service is shutting down');
    for (const job of this.queue.splice(0)) job.reject(stopping);
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        this.settle(slot, stopping);
        return slot.worker.terminate();
      }),
    );
  }

  private enqueue(bytes: Uint8Array, format: ImageFormat): Promise<{ analysis: FaceAnalysis; workerMs: number }> {
    if (this.closed) return Promise.reject(new AppError('FACE_BUSY', 'The face service is shut down'));
    const idle = this.slots.some((slot) => slot.job === null);
    if (!idle && this.queue.length >= this.maxQueued) {
      return Promise.reject(new AppError('FACE_BUSY', 'Too many face checks are waiting; try again in a moment / 人脸核验繁忙，请稍后再试', { queued: this.queue.length }));
    }
    return new Promise((resolve, reject) => {
      // A copy: the worker takes ownership of what it is sent, the caller may still need the bytes.
      this.queue.push({ id: this.nextId++, bytes: new Uint8Array(bytes), format, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== null || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.startedAt = performance.now();
      slot.timer = setTimeout(() => this.overran(slot), this.timeoutMs);
      slot.worker.postMessage({ id: job.id, bytes: job.bytes, format: job.format }, [job.bytes.buffer as ArrayBuffer]);
    }
  }

  /** A job past its time: refuse it and replace the worker (a stuck wasm call cannot be interrupted). */
  private overran(slot: Slot): void {
    this.settle(slot, new AppError('FACE_BUSY', `The face check took longer than ${this.timeoutMs} ms / 人脸核验超时`));
    this.replace(slot);
  }

  private replace(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    void slot.worker.terminate();
    if (index < 0 || this.closed) return;
    this.slots[index] = this.startSlot();
    this.dispatch();
  }

  private settle(slot: Slot, outcome: { analysis: FaceAnalysis; workerMs: number } | Error): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const job = slot.job;
    slot.job = null;
    if (!job) return;
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  private startSlot(): Slot {
    const worker = new Worker(WORKER_URL, { workerData: { detector: this.detector, inputSize: this.detectorInputSize } });
    // An idle service must not keep a stopping process alive (a running job's timer does).
    worker.unref();
    let warmed: () => void = () => {};
    let failed: (error: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      warmed = resolve;
      failed = reject;
    });
    // Nobody may be awaiting ready(): a failure still reaches the jobs through the error handler.
    ready.catch(() => {});
    const slot: Slot = { worker, ready, job: null, startedAt: 0, timer: null };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.id === 'warm-up') {
        if (reply.error) failed(new AppError('INTERNAL', `The face models did not load: ${reply.error.message}`));
        else warmed();
        return;
      }
      if (slot.job?.id !== reply.id) return;
      const workerMs = performance.now() - slot.startedAt;
      this.settle(slot, reply.error ? workerError(reply.error) : { analysis: reply.result!, workerMs });
      this.dispatch();
    });
    worker.on('error', (error) => {
      failed(error);
      this.settle(slot, new AppError('INTERNAL', 'The face engine failed', undefined, { cause: error }));
      this.replace(slot);
    });
    worker.postMessage({ id: 'warm-up' });
    return slot;
  }
}

function workerError(error: { code: string; message: string }): AppError {
  const code: ErrorCode = error.code === 'IMAGE_INVALID' ? 'IMAGE_INVALID' : 'INTERNAL';
  return new AppError(code, code === 'INTERNAL' ? 'The face engine failed' : 'The image cannot be decoded / 图像无法解码', undefined, {
    cause: new Error(error.message),
  });
}
