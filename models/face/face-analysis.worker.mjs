// One face-analysis worker thread: loads the tfjs wasm backend and face-api's bundled weights once,
// then decodes each image it is sent and returns every face it finds (box, 68 landmarks, descriptor).
// Deciding what the faces mean (none, several, too small, same person) is the main thread's job.
// Plain JavaScript so that it starts without a TypeScript loader in any host (CLI, hub, vitest).
// Images are decoded by sharp (libvips + libjpeg-turbo, prebuilt inside its npm package): 3 ms for a
// 640 × 480 JPEG against 30–50 ms with the pure-JS jpeg-js it replaced (docs/BENCHMARKS-IDENTITY.md).
// The main thread must have loaded sharp before this worker starts (face-service.ts does): on glibc a
// native library first opened by a worker is unloaded when that worker ends, under the other workers' feet.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const sharp = require('sharp');

/** 'tiny' (TinyFaceDetector, the service's) or 'ssd' (SSD MobileNet v1, the benchmark's peer). */
const detector = workerData?.detector ?? 'tiny';
/** TinyFaceDetector's input side (a multiple of 32); the service's default is in face-service.ts. */
const inputSize = workerData?.inputSize ?? 320;
/** The refused-too-large limit is checked before an image reaches here; this is the decoder's own guard. */
const MAX_PIXELS = 40_000_000;
// One libvips thread per decode and no cache of decoded images: each worker is sized as one core's work,
// and a cached frame would be personal data kept in memory for no use (frames are never decoded twice).
sharp.concurrency(1);
sharp.cache(false);

const ready = (async () => {
  // The wasm files ship inside the package: nothing is fetched.
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  await tf.setBackend('wasm');
  await tf.ready();
  const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  if (detector === 'ssd') await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  else await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const options =
    detector === 'ssd'
      ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 })
      : new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.5 });
  await warmUp();
  return options;
})();

/**
 * The landmark and recognition nets once on a blank face-sized input: the wasm backend sets up each
 * kernel's memory on its first call, which would otherwise land on the first live frame (≈ +100 ms).
 */
async function warmUp() {
  const blank = tf.zeros([150, 150, 3], 'int32');
  try {
    await faceapi.nets.faceLandmark68Net.detectLandmarks(blank);
    await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(blank);
  } finally {
    blank.dispose();
  }
}

/** RGB pixels (alpha dropped, a grey PNG spread to three channels) as face-api's input tensor. */
async function decode(bytes) {
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${info.channels} channels after conversion to RGB`);
  return { width: info.width, height: info.height, data };
}

async function analyse(bytes) {
  const options = await ready;
  let image;
  const started = performance.now();
  try {
    image = await decode(bytes);
  } catch (error) {
    return { error: { code: 'IMAGE_INVALID', message: `the image cannot be decoded: ${error.message}` } };
  }
  const tensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  const decodeMs = performance.now() - started;
  try {
    const found = await faceapi.detectAllFaces(tensor, options).withFaceLandmarks().withFaceDescriptors();
    const faces = found.map((face) => ({
      box: roundBox(face.detection.box),
      score: face.detection.score,
      landmarks: face.landmarks.positions.map((point) => [point.x, point.y]),
      descriptor: Array.from(face.descriptor),
    }));
    return { result: { width: image.width, height: image.height, faces, decodeMs } };
  } finally {
    tensor.dispose();
  }
}

function roundBox(box) {
  return { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
}

parentPort.on('message', async ({ id, bytes }) => {
  if (id === 'warm-up') {
    await ready.then(() => parentPort.postMessage({ id, result: null }), (error) => parentPort.postMessage({ id, error: { code: 'FACE_ENGINE', message: error.message } }));
    return;
  }
  try {
    parentPort.postMessage({ id, ...(await analyse(bytes)) });
  } catch (error) {
    parentPort.postMessage({ id, error: { code: 'FACE_ENGINE', message: error instanceof Error ? error.message : String(error) } });
  }
});
