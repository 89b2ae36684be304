// Messages between the whisper engine and its recogniser process (advanced IPC serialisation, so
// PCM travels as a typed array).

export interface WhisperRawSegment {
  text: string;
  /** Milliseconds from the start of the transcribed chunk, as whisper.cpp reports them. */
  t0: number;
  t1: number;
}

export type ToRecogniser =
  | { type: 'transcribe'; jobId: number; pcm: Int16Array; language: string }
  | { type: 'cancel'; jobId: number }
  | { type: 'close' };

export type FromRecogniser =
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  | { type: 'transcribed'; jobId: number; segments: WhisperRawSegment[]; aborted: boolean }
  | { type: 'failed'; jobId: number; message: string }
  | { type: 'log'; level: string; text: string };
