// What route handlers and the realtime channel may use: the node's parts, handed in by startHub.
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { PersonalDataCipher } from '../platform/personal-data.ts';
import type { Database } from '../storage/database.ts';
import type { Bus } from '../actors/bus/bus.ts';
import type { ActorClient } from '../actors/runtime/types.ts';
import type { LoginRateLimit } from './auth/login-rate-limit.ts';
import type { DocPersistence } from './collab/persistence.ts';
import type { RoomLimits } from './collab/doc-room.ts';
import type { RoomReplication } from './collab/room-registry.ts';
import type { TranscriptService } from './collab/transcript-service.ts';
import type { BlobStore } from '../storage/blobs/blob-store.ts';
import type { HearingMediaNodes } from './hearings/hearing-media-gateway.ts';
import type { IdCardOcr } from './ocr/id-card-ocr.ts';
import type { FaceService } from '../models/face/face-service.ts';
import type { FilingAcceptor } from './filings/filing-acceptor.ts';

/** What the node hands to startHub. */
export interface HubDeps {
  config: Config;
  logger: Logger;
  database: Database;
  bus: Bus;
  actors: ActorClient;
  cipher: PersonalDataCipher;
  sessionSecret: Buffer;
  /** Folder of the built portal (index.html, components/ecourt.js). */
  staticDir: string;
  /** Where the /yjs/* documents (transcripts, annotations, judge notes) are kept. */
  collabPersistence: DocPersistence;
  collabLimits?: Partial<RoomLimits>;
  /** Distributed mode: documents served by several hub nodes, one owner each (hub/collab/relay). */
  collabReplication?: RoomReplication;
  /** Distributed mode: each hearing's media on one owner hub node by lease, the others relay its signalling (hub/hearings). */
  hearingMediaNodes?: HearingMediaNodes;
}

/** What route handlers and the realtime channel see: the node's parts plus the hub's own. */
export interface HubServices extends Omit<HubDeps, 'staticDir' | 'collabPersistence' | 'collabLimits' | 'collabReplication' | 'hearingMediaNodes'> {
  loginRateLimit: LoginRateLimit;
  /** Server-side work on hearing transcripts (text + hash, versions, restore, change audit) through the live rooms. */
  transcripts: TranscriptService;
  /** Where evidence files' bytes are kept (ECOURT_BLOB_DIR). */
  blobs: BlobStore;
  /** ID-card OCR for registration (hub/ocr): its engine starts on the first card, stops with the hub. */
  readonly idCardOcr: IdCardOcr;
  /** Face verification (ECOURT_FACE_WORKERS workers): started on first use, stopped with the hub (hub/identity). */
  readonly faces: FaceService;
  /** 立案: finishes accepted filings (case, number, sealed receipt, inbox); started with the hub (hub/filings). */
  readonly filings: FilingAcceptor;
}
