// One face-analysis worker thread: loads the tfjs wasm backend and face-api's bundled weights once,
// then decodes each image it is sent and returns every face it finds (box, 68 landmarks, descriptor).
// Deciding what the faces mean (none, several, too small, same person) is the main thread's job.
// Plain JavaScript so that it starts without a TypeScript loader in any host (CLI, hub, vitest).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

/** 'tiny' (TinyFaceDetector, the service's) or 'ssd' (SSD MobileNet v1, the benchmark's peer). */
const detector = workerData?.detector ?? 'tiny';
/** The refused-too-large limit is checked before an image reaches here; this is the decoder's own guard. */
const MAX_MEGAPIXELS = 40;

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
  return detector === 'ssd'
    ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 })
    : new faceapi.TinyFaceDetectorOptions({ inputSize: 320, scoreThreshold: 0.5 });
})();

function decode(bytes, format) {
  if (format === 'png') {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, rgba: png.data };
  }
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS });
  return { width: image.width, height: image.height, rgba: image.data };
}

function rgbTensor({ width, height, rgba }) {
  const rgb = new Int32Array(width * height * 3);
  for (let source = 0, target = 0; source < rgba.length; source += 4, target += 3) {
    rgb[target] = rgba[source];
    rgb[target + 1] = rgba[source + 1];
    rgb[target + 2] = rgba[source + 2];
  }
  return tf.tensor3d(rgb, [height, width, 3], 'int32');
}

async function analyse(bytes, format) {
  const options = await ready;
  let image;
  const started = performance.now();
  try {
    image = decode(bytes, format);
  } catch (error) {
    return { error: { code: 'IMAGE_INVALID', message: `the image cannot be decoded: ${error.message}` } };
  }
  const tensor = rgbTensor(image);
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

parentPort.on('message', async ({ id, bytes, format }) => {
  if (id === 'warm-up') {
    await ready.then(() => parentPort.postMessage({ id, result: null }), (error) => parentPort.postMessage({ id, error: { code: 'FACE_ENGINE', message: error.message } }));
    return;
  }
  try {
    parentPort.postMessage({ id, ...(await analyse(bytes, format)) });
  } catch (error) {
    parentPort.postMessage({ id, error: { code: 'FACE_ENGINE', message: error instanceof Error ? error.message : String(error) } });
  }
});
