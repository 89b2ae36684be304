// Starts the hub: one uWS app serving the HTTP API (/api/v1, /healthz), the /rt realtime
// WebSocket, the /yjs/* collaborative documents (when storage for them is given) and the static
// site, on config.HOST:PORT (PORT 0 picks a free port).
import type { us_listen_socket } from 'uWebSockets.js';
import { isCaseMember } from '../storage/cases/is-case-member.ts';
import { LocalBlobStore } from '../storage/blobs/local-blob-store.ts';
import { blobDirOf } from '../platform/config.ts';
import { loadNativeUws } from './uws.ts';
import { LoginRateLimit } from './auth/login-rate-limit.ts';
import { hubRoutes } from './api/routes.ts';
import { mountRoutes } from './http/router.ts';
import { mountStaticFiles } from './http/static-files.ts';
import { mountCorsPreflight } from './http/cors.ts';
import { paths } from './http/paths.ts';
import { RealtimeChannel } from './realtime/channel.ts';
import { HearingMediaGateway } from './hearings/hearing-media-gateway.ts';
import { MediaPool } from '../media/sfu/media-pool.ts';
import { mountRealtimeEndpoint } from './realtime/uws-endpoint.ts';
import type { HubDeps, HubServices } from './services.ts';
import { DEFAULT_ROOM_LIMITS } from './collab/doc-room.ts';
import { RoomRegistry } from './collab/room-registry.ts';
import { TranscriptService } from './collab/transcript-service.ts';
import { CollabGateway } from './collab/gateway.ts';
import { storageAdmission } from './collab/document-facts.ts';
import { mountCollabEndpoint } from './collab/uws-endpoint.ts';

export type { HubDeps } from './services.ts';

export interface RunningHub {
  port: number;
  url: string;
  close(): Promise<void>;
}

export class HubListenError extends Error {
  constructor(host: string, port: number) {
    super(`the hub could not listen on ${host}:${port} (address in use or not available)`);
    this.name = 'HubListenError';
  }
}

export async function startHub(deps: HubDeps): Promise<RunningHub> {
  const uws = loadNativeUws();
  const logger = deps.logger.child({ component: 'hub' });

  const blobs = new LocalBlobStore(blobDirOf(deps.config));
  // Hearing media on this node: WebRTC signalling over /rt, the SFU following the hearing actors.
  const hearingMedia = new HearingMediaGateway({
    pool: new MediaPool({ loopbackOnly: deps.config.ECOURT_MEDIA_LOOPBACK_ONLY, connectTimeoutMs: deps.config.ECOURT_MEDIA_CONNECT_TIMEOUT_MS }),
    db: deps.database.db,
    bus: deps.bus,
    actors: deps.actors,
    blobs,
    logger,
    ...(deps.hearingMediaNodes ? { nodes: deps.hearingMediaNodes } : {}),
  });
  const realtime = new RealtimeChannel({
    bus: deps.bus,
    logger: logger.child({ component: 'realtime' }),
    sessionSecret: deps.sessionSecret,
    isCaseMember: (session, caseId) =>
      isCaseMember({ db: deps.database.db, caseId, viewer: { userId: session.userId, role: session.role, courtId: session.courtId } }),
    extensions: [hearingMedia],
  });

  // Rooms first: the HTTP transcript routes work on the same live rooms as the /yjs sessions.
  const collabLogger = logger.child({ component: 'collab' });
  const rooms = new RoomRegistry({
    persistence: deps.collabPersistence,
    logger: collabLogger,
    ...(deps.collabLimits ? { limits: deps.collabLimits } : {}),
    ...(deps.collabReplication ? { replication: deps.collabReplication } : {}),
  });
  const services: HubServices = {
    config: deps.config,
    logger,
    database: deps.database,
    bus: deps.bus,
    actors: deps.actors,
    cipher: deps.cipher,
    sessionSecret: deps.sessionSecret,
    loginRateLimit: new LoginRateLimit(),
    transcripts: new TranscriptService({ registry: rooms, db: deps.database.db }),
    blobs,
  };

  const app = uws.App();
  mountCorsPreflight(app);
  mountRoutes(app, hubRoutes(), services);
  mountRealtimeEndpoint(app, uws, paths.realtime, realtime);
  const collab = new CollabGateway({
    registry: rooms,
    sessionSecret: deps.sessionSecret,
    logger: collabLogger,
    resolveAdmission: storageAdmission(deps.database.db),
  });
  mountCollabEndpoint(app, uws, collab, { maxMessageBytes: deps.collabLimits?.maxMessageBytes ?? DEFAULT_ROOM_LIMITS.maxMessageBytes });
  // Last: the static site and the coded 404 for everything else (uWS prefers exact routes anyway).
  mountStaticFiles(app, { staticDir: deps.staticDir, logger });

  const { HOST: host, PORT: requestedPort } = deps.config;
  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(host, requestedPort, (socket) => (socket ? resolve(socket) : reject(new HubListenError(host, requestedPort))));
  });
  const port = uws.us_socket_local_port(listenSocket as never);
  realtime.start();
  hearingMedia.start();

  // A wildcard bind is reached through loopback from this machine.
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  logger.info('hub listening', { url });

  let closed = false;
  return {
    port,
    url,
    async close() {
      if (closed) return;
      closed = true;
      realtime.stop();
      // Recordings in progress are filed before the database closes.
      await hearingMedia.stop();
      uws.us_listen_socket_close(listenSocket);
      // Pending document saves are flushed before the node goes on to close the database.
      await collab?.close();
      logger.info('hub closed', { url });
    },
  };
}
