// Child process of the hub benchmark: one bare peer server (`ywebsocket` = @y/websocket-server's
// setupWSConnection on `ws`, `hocuspocus` = @hocuspocus/server with no extensions) on 127.0.0.1.
// Prints `ready <port>` on stdout once it listens; stops on SIGTERM.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

// `ws` ships no types of its own here (no @types/ws): the few calls below are typed by hand.
interface WsServer {
  on(event: 'connection', listener: (socket: unknown, request: import('node:http').IncomingMessage) => void): void;
  handleUpgrade(request: unknown, socket: unknown, head: unknown, done: (ws: unknown) => void): void;
  emit(event: string, ...args: unknown[]): boolean;
  close(): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: new (options: { noServer: true }) => WsServer };

const [kind, portText = '0'] = process.argv.slice(2);

async function startYWebsocket(port: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const { setupWSConnection } = await import('@y/websocket-server/utils');
  const http = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (socket, request) => setupWSConnection(socket as never, request, { gc: true }));
  http.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const address = http.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    stop: () => new Promise((resolve) => { wss.close(); http.close(() => resolve()); http.closeAllConnections(); }),
  };
}

async function startHocuspocus(port: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const { Server } = await import('@hocuspocus/server');
  const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: false });
  await server.listen();
  return { port: server.address.port, stop: () => server.destroy() };
}

const running = kind === 'ywebsocket' ? await startYWebsocket(Number(portText)) : kind === 'hocuspocus' ? await startHocuspocus(Number(portText)) : null;
if (!running) {
  console.error(`unknown peer server ${kind ?? '(none)'}: use ywebsocket or hocuspocus`);
  process.exit(2);
}
process.stdout.write(`ready ${running.port}\n`);
process.on('SIGTERM', () => {
  void running.stop().finally(() => process.exit(0));
});
