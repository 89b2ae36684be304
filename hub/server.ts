// Starts the hub: one uWS app serving the HTTP API (/api/v1, /healthz), the /rt realtime
// WebSocket, the /yjs/* collaborative documents (when storage for them is given) and the static
// site, on config.HOST:PORT (PORT 0 picks a free port).
import { setTimeout as delay } from 'node:timers/promises';
import type { us_listen_socket } from 'uWebSockets.js';
import { isCaseMember } from '../storage/cases/is-case-member.ts';
import { LocalBlobStore } from '../storage/blobs/local-blob-store.ts';
import { blobDirOf } from '../platform/config.ts';
import { loadNativeUws } from './uws.ts';
import { LoginRateLimit } from './auth/login-rate-limit.ts';
import { hubRoutes } from './api/routes.ts';
import { oauthProvidersOf } from './auth/oauth/provider-registry.ts';
import { mountRoutes } from './http/router.ts';
import { mountStaticFiles } from './http/static-files.ts';
import { mountCorsPreflight } from './http/cors.ts';
import { paths } from './http/paths.ts';
import { RealtimeChannel } from './realtime/channel.ts';
import { FilingLive } from './realtime/filing-live.ts';
import { HearingMediaGateway } from './hearings/hearing-media-gateway.ts';
import { createLiveTranscription } from './hearings/live-transcription.ts';
import { MediaPool } from '../media/sfu/media-pool.ts';
import { mountRealtimeEndpoint } from './realtime/uws-endpoint.ts';
import type { HubDeps, HubServices } from './services.ts';
import { DEFAULT_ROOM_LIMITS } from './collab/doc-room.ts';
import { RoomRegistry } from './collab/room-registry.ts';
import { TranscriptService } from './collab/transcript-service.ts';
import { CollabGateway } from './collab/gateway.ts';
import { storageAdmission } from './collab/document-facts.ts';
import { mountCollabEndpoint } from './collab/uws-endpoint.ts';
import { TranscriptConfirmation } from './hearings/transcript-confirmation.ts';
import { createIdentityRechecks } from './hearings/identity-rechecks.ts';
import { lazyFaceService } from './identity/lazy-face-service.ts';
import { startFaceImagePurge } from './identity/face-image-purge.ts';
import { IdCardOcr } from './ocr/id-card-ocr.ts';
import { startFilingAcceptor, type FilingAcceptor } from './filings/filing-acceptor.ts';
import { startDocumentIssuer, type DocumentIssuer } from '../documents/issuing/document-issuer.ts';

/** Distributed mode: how long a node without the hearing's media waits before freezing its transcript. */
const OTHER_NODE_FREEZE_DELAY_MS = 10_000;

export type { HubDeps } from './services.ts';

export interface RunningHub {
  port: number;
  url: string;
  /** Freezes concluded hearings' transcripts and files archived ones (笔录确认). */
  transcriptConfirmation: TranscriptConfirmation;
  /** The stage hooks: the case's transitions issue their sealed documents (documents/issuing). */
  documentIssuer: DocumentIssuer;
  /** 立案: finishes accepted filings (case, number, sealed receipt, inbox). */
  filingAcceptor: FilingAcceptor;
  close(): Promise<void>;
}

export class HubListenError extends Error {
  constructor(host: string, port: number) {
    super(`the hub could not listen on ${host}:${port} (address in use or not available)`);
    this.name = 'HubListenError';
  }
}

export async function startHub(deps: HubDeps): Promise<RunningHub> {
  // 第三方登录: a bad ECOURT_OAUTH_PROVIDERS stops the start here rather than failing the first sign-in.
  oauthProvidersOf(deps.config);
  const uws = loadNativeUws();
  const logger = deps.logger.child({ component: 'hub' });

  const blobs = new LocalBlobStore(blobDirOf(deps.config));
  // Hearing media on this node: WebRTC signalling over /rt, the SFU following the hearing actors.
  const mediaPool = new MediaPool({ loopbackOnly: deps.config.ECOURT_MEDIA_LOOPBACK_ONLY, connectTimeoutMs: deps.config.ECOURT_MEDIA_CONNECT_TIMEOUT_MS });
  const hearingMedia = new HearingMediaGateway({
    pool: mediaPool,
    db: deps.database.db,
    bus: deps.bus,
    actors: deps.actors,
    blobs,
    logger,
    ...(deps.hearingMediaNodes ? { nodes: deps.hearingMediaNodes } : {}),
  });
  // 立案: the clerks' filing queue and the filers' inboxes follow the filing actors' events over /rt.
  const filingLive = new FilingLive({ bus: deps.bus, logger: logger.child({ component: 'filing-live' }) });
  const realtime = new RealtimeChannel({
    bus: deps.bus,
    logger: logger.child({ component: 'realtime' }),
    sessionSecret: deps.sessionSecret,
    isCaseMember: (session, caseId) =>
      isCaseMember({ db: deps.database.db, caseId, viewer: { userId: session.userId, role: session.role, courtId: session.courtId } }),
    extensions: [hearingMedia, filingLive],
  });

  // Rooms first: the HTTP transcript routes work on the same live rooms as the /yjs sessions.
  const collabLogger = logger.child({ component: 'collab' });
  const rooms = new RoomRegistry({
    persistence: deps.collabPersistence,
    logger: collabLogger,
    ...(deps.collabLimits ? { limits: deps.collabLimits } : {}),
    ...(deps.collabReplication ? { replication: deps.collabReplication } : {}),
  });
  // Live recognition beside each hearing router this node holds, writing through the same rooms.
  // Its drain(hearingId) ends a hearing's recognition once its last words are in the transcript.
  const liveTranscription = await createLiveTranscription(deps.config, { pool: mediaPool, bus: deps.bus, db: deps.database.db, rooms, logger });
  // Face workers start on the first face check, not with the hub (hub/identity).
  const faces = lazyFaceService(deps.config);
  // 立案: started once the hub listens (its address goes into the receipts' verification QR codes).
  let filingAcceptor: FilingAcceptor | undefined;
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
    get faces() {
      return faces.service;
    },
    get filings() {
      if (!filingAcceptor) throw new Error('the filing acceptor has not started');
      return filingAcceptor;
    },
    idCardOcr: new IdCardOcr(logger.child({ component: 'ocr' })),
  };

  // 文书: the stage hooks start once the hub listens (its address goes into the QR codes when ECOURT_PUBLIC_URL is unset).
  let documentIssuer: DocumentIssuer | undefined;
  // 笔录确认: freeze at the end of a hearing, file with the case when it is archived (a sealed PDF when the court has a seal).
  const transcriptConfirmation = new TranscriptConfirmation({
    documentIssuing: async () => (documentIssuer ? documentIssuer.issuing() : null),
    bus: deps.bus,
    db: deps.database.db,
    actors: deps.actors,
    rooms,
    transcripts: services.transcripts,
    blobs,
    logger,
    confirmHours: deps.config.ECOURT_TRANSCRIPT_CONFIRM_HOURS,
    beforeFreeze: async (hearingId) => {
      if (liveTranscription?.hears(hearingId)) return liveTranscription.drain(hearingId);
      // Several hub nodes: the one holding the hearing's media freezes after its last recognised words;
      // the others give it that time first (the freeze is saved once, whoever comes first).
      if (deps.hearingMediaNodes) await delay(OTHER_NODE_FREEZE_DELAY_MS);
    },
  });

  // 庭中人脸复核: random face re-checks of the present parties of the hearings whose media this node holds.
  const identityRechecks = createIdentityRechecks(deps.config, { pool: mediaPool, bus: deps.bus, services, logger });

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
  filingLive.start();
  hearingMedia.start();
  liveTranscription?.start();
  identityRechecks?.start();
  const issuer = startDocumentIssuer({
    bus: deps.bus,
    db: deps.database.db,
    blobs,
    config: deps.config,
    logger,
    publicUrl: deps.config.ECOURT_PUBLIC_URL ?? `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}`,
  });
  documentIssuer = issuer;
  await transcriptConfirmation.start();
  const faceImagePurge = startFaceImagePurge({ db: deps.database.db, blobs, logger: logger.child({ component: 'face-enrolment' }) });

  // A wildcard bind is reached through loopback from this machine.
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  // 立案: accepted filings become cases with a sealed receipt, issued like the stage documents.
  filingAcceptor = startFilingAcceptor({ db: deps.database.db, bus: deps.bus, actors: deps.actors, cipher: deps.cipher, logger, issuing: () => issuer.issuing() });
  logger.info('hub listening', { url });

  let closed = false;
  return {
    port,
    url,
    transcriptConfirmation,
    documentIssuer: issuer,
    filingAcceptor,
    async close() {
      if (closed) return;
      closed = true;
      // Re-checks stop before the face service, the media and the database they use.
      await identityRechecks?.stop();
      await filingAcceptor?.stop();
      await transcriptConfirmation.stop();
      await issuer.stop();
      await faceImagePurge.stop();
      await faces.close();
      realtime.stop();
      filingLive.stop();
      await services.idCardOcr.close();
      // Recognition stops before the media it listens to and the rooms it writes to.
      await liveTranscription?.stop();
      // Recordings in progress are filed before the database closes.
      await hearingMedia.stop();
      uws.us_listen_socket_close(listenSocket);
      // Pending document saves are flushed before the node goes on to close the database.
      await collab?.close();
      logger.info('hub closed', { url });
    },
  };
}
