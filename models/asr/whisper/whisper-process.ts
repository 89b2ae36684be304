// The recogniser process: loads the ggml model once and transcribes chunks one at a time. It is a
// child process, not a worker thread, because whisper.cpp aborts the whole process on some bad
// inputs (and loads the model synchronously): a crash here costs the engine, never the server.
// Usage: node --import tsx whisper-process.ts <model path>   (driven over IPC, see whisper-messages.ts)

import { addNativeLogListener, initWhisper, toggleNativeLog, type WhisperContext } from '@fugood/whisper.node';
import type { FromRecogniser, ToRecogniser } from './whisper-messages.ts';

const modelPath = process.argv[2] ?? '';
const send = (message: FromRecogniser): void => {
  if (process.connected) process.send?.(message);
};

// whisper.cpp writes its loading chatter to stderr; keep warnings and errors for the engine's logger.
await toggleNativeLog(true);
addNativeLogListener((level, text) => {
  if (level === 'error' || level === 'warn') send({ type: 'log', level, text: text.trimEnd() });
});

let context: WhisperContext;
try {
  context = await initWhisper({ filePath: modelPath, useGpu: false });
} catch (error) {
  send({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
  process.disconnect?.();
  process.exit(0);
}

const running = new Map<number, () => Promise<void>>();
const queue: Extract<ToRecogniser, { type: 'transcribe' }>[] = [];
let busy = false;

async function next(): Promise<void> {
  const job = queue.shift();
  if (!job || busy) return;
  busy = true;
  try {
    const pcm = job.pcm;
    // transcribeData takes 16-bit PCM in an ArrayBuffer of its own.
    const audio = pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer;
    const { stop, promise } = context.transcribeData(audio, { language: job.language, maxThreads: 1 });
    // The binding's promise never settles once stop() was called (whisper.node 1.1.3), so a
    // cancelled job is finished here; the context stays usable for the next one.
    const cancelled = new Promise<null>((resolve) => {
      running.set(job.jobId, () => {
        resolve(null);
        return stop();
      });
    });
    const result = await Promise.race([promise, cancelled]);
    if (result) send({ type: 'transcribed', jobId: job.jobId, segments: result.segments, aborted: result.isAborted });
    else send({ type: 'transcribed', jobId: job.jobId, segments: [], aborted: true });
  } catch (error) {
    send({ type: 'failed', jobId: job.jobId, message: error instanceof Error ? error.message : String(error) });
  } finally {
    running.delete(job.jobId);
    busy = false;
    void next();
  }
}

process.on('message', (message: ToRecogniser) => {
  switch (message.type) {
    case 'transcribe':
      queue.push(message);
      void next();
      return;
    case 'cancel': {
      const index = queue.findIndex((job) => job.jobId === message.jobId);
      if (index >= 0) queue.splice(index, 1);
      void running.get(message.jobId)?.();
      return;
    }
    case 'close':
      void shutDown();
      return;
  }
});
// The engine went away without saying goodbye: do not linger holding the model.
process.on('disconnect', () => void shutDown());

let shuttingDown = false;
async function shutDown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  queue.length = 0;
  await Promise.all([...running.values()].map((stop) => stop().catch(() => undefined)));
  await context.release().catch(() => undefined);
  process.exit(0);
}

send({ type: 'ready' });
