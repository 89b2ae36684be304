// A /rt test client: a real WebSocket that queues every JSON message and its close, so tests can
// await what comes next (optionally of one type).
import { createRequire } from 'node:module';

// Node 20's global WebSocket is experimental; `ws` ships with the uWS package (no type package: the few
// members used are declared here).
export interface RawClient {
  readonly readyState: number;
  readonly CLOSED: number;
  send(data: string | Buffer): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  once(event: 'open', listener: () => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
}
const WebSocketClient = createRequire(import.meta.url)('ws') as new (url: string) => RawClient;

export interface RtClient {
  ws: RawClient;
  /** The next message (of `type`), waiting up to `timeoutMs` (default 5 s). */
  next: (type?: string, timeoutMs?: number) => Promise<any>;
  received: () => any[];
  send: (message: unknown) => void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens `<base>/rt<query>` (base: http://host:port); `opened` collects every client for the test's cleanup. */
export function connectRt(base: string, query = '', opened?: RawClient[]): Promise<RtClient> {
  const ws = new WebSocketClient(`${base.replace('http', 'ws')}/rt${query}`);
  opened?.push(ws);
  const queue: any[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    queue.push(JSON.parse(String(data)));
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: String(reason) });
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  const next = async (type?: string, timeoutMs = 5000): Promise<any> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = queue.findIndex((message) => type === undefined || message.type === type);
      if (index >= 0) return queue.splice(index, 1)[0];
      if (ws.readyState === ws.CLOSED || Date.now() > deadline) throw new Error(`no ${type ?? 'message'} (got ${JSON.stringify(queue)})`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next, received: () => [...queue], send: (message) => ws.send(JSON.stringify(message)), closed }));
    ws.once('error', reject);
  });
}
