// The platform's configuration: environment variables parsed once, by one schema.
// A bad value stops the start with a message that names the variable.
import { join } from 'node:path';
import { z } from 'zod';
import { ASR_ENGINE_NAMES } from '../models/asr/asr-engine.ts';
import { POCKETSPHINX_DECODINGS } from '../models/asr/pocketsphinx/pocketsphinx-engine.ts';
import { LIVENESS_CHALLENGES } from '../models/face/liveness/liveness-challenge.ts';
import { DEFAULT_SEAL_NEEDS_APPROVAL, DEFAULT_SEAL_ROLES, parseSealApprovalRoles, parseSealRoles } from './seal-roles.ts';

/** A value parsed by a function that throws with a message: the message becomes the variable's problem. */
function parsedWith<T>(parse: (value: string) => T) {
  return (value: string, context: z.RefinementCtx): T => {
    try {
      return parse(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  };
}

export const PROCESS_ROLES = ['all', 'hub', 'actors'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const urlWithProtocols = (protocols: string[]) =>
  optionalText.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  ECOURT_DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']),
  NATS_URL: urlWithProtocols(['nats:', 'tls:']),
  ECOURT_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters (it signs sessions)',
  }),
  ECOURT_DATA_KEY: optionalText.refine((v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v), {
    message: 'must be 64 hexadecimal characters (a 256-bit key for personal data at rest)',
  }),
  ECOURT_DEMO_PASSWORD: optionalText.refine((v) => v === undefined || v.length >= 8, {
    message: 'must be at least 8 characters',
  }),
  ECOURT_SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  ECOURT_ROLE: z.enum(PROCESS_ROLES).default('all'),
  ECOURT_NODE_ID: optionalText,
  ECOURT_NATS_NAMESPACE: z.string().trim().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -').default('ecourt'),
  ECOURT_SHARDS: z.coerce.number().int().min(1).max(4096).default(64),
  ECOURT_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(120_000).default(6000),
  ECOURT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ECOURT_COLLAB_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Collaborative updates are committed in windows this long (0: each batch at once); see docs/COLLABORATION.md. */
  ECOURT_COLLAB_COMMIT_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  ECOURT_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Where evidence files are kept (content-addressed); defaults to <ECOURT_DATA_DIR>/blobs (see blobDirOf). */
  ECOURT_BLOB_DIR: optionalText,
  /** The court CA's keys, certificates and CRL (documents/ca); defaults to <ECOURT_DATA_DIR>/ca (see caDirOf). */
  ECOURT_CA_DIR: optionalText,
  /** Signature timestamps (PAdES-T): off, local (the court's own TSA in this process) or an external RFC 3161 TSA's http(s) URL. */
  ECOURT_TSA: z
    .string()
    .trim()
    .default('off')
    .refine((value) => value === 'off' || value === 'local' || /^https?:\/\/[^\s]+$/.test(value), { message: 'must be off, local or an http(s) URL of an RFC 3161 TSA' }),
  /** The address the public reaches the portal at (printed in documents' verification QR codes); defaults to http://HOST:PORT (documents/verification/public-url.ts). */
  ECOURT_PUBLIC_URL: urlWithProtocols(['http:', 'https:']),
  /** Evidence uploads have their own limit: files are far larger than JSON bodies. */
  ECOURT_MAX_EVIDENCE_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(20 * 1024 * 1024),
  /** Hearing media (WebRTC) offers and accepts only 127.0.0.1 candidates: one-machine installs and tests. */
  ECOURT_MEDIA_LOOPBACK_ONLY: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /** A participant whose WebRTC connection is not up within this many ms is dropped (the others carry on). */
  ECOURT_MEDIA_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(20_000),
  /** How long parties and lawyers have to confirm or object to the frozen transcript (笔录确认期限), in hours. */
  ECOURT_TRANSCRIPT_CONFIRM_HOURS: z.coerce.number().min(0.0001).max(24 * 365).default(72),
  /** Speech recognition: pocketsphinx (English, works out of the box) or whisper (needs WHISPER_MODEL). */
  ECOURT_ASR_ENGINE: z.enum(ASR_ENGINE_NAMES).default('pocketsphinx'),
  /** pocketsphinx search effort: fast (default, half the CPU, same accuracy on our fixtures) or accurate (its own defaults). */
  ECOURT_POCKETSPHINX_DECODING: z.enum(POCKETSPHINX_DECODINGS).default('fast'),
  /** Path of the ggml Whisper model the court supplies (none can be downloaded here). */
  WHISPER_MODEL: optionalText,
  /** Live recognition of hearings into the transcript; when the engine cannot start, the hub warns and runs without. */
  ECOURT_ASR_ENABLED: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /** The language hearings are held in: en, or zh (needs the whisper engine and a model that knows Chinese). */
  ECOURT_ASR_LANGUAGE: z.enum(['en', 'zh']).default('en'),
  /** Hearing identity re-checks: a face frame of each present party every "min-max" seconds at random (whole seconds, 5–3600), or "off" (hub/hearings/identity-rechecks.ts). */
  ECOURT_FACE_RECHECK_SECONDS: z
    .string()
    .trim()
    .default('60-240')
    .transform((value, context) => {
      if (value === 'off') return null;
      const match = /^(\d{1,4})-(\d{1,4})$/.exec(value);
      const [minSeconds, maxSeconds] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
      if (!match || minSeconds < 5 || maxSeconds > 3600 || minSeconds > maxSeconds) {
        context.addIssue({ code: 'custom', message: 'must be "off" or "min-max" in whole seconds, 5 ≤ min ≤ max ≤ 3600 (e.g. 60-240)' });
        return z.NEVER;
      }
      return { minSeconds, maxSeconds };
    }),
  /** 第三方登录: the court's OAuth/OIDC providers (WeChat, DingTalk, Alipay, OIDC) as JSON or a JSON file's path; see hub/auth/oauth/README.md. */
  ECOURT_OAUTH_PROVIDERS: optionalText,
  /** Face verification worker threads of a hub node (started on the first face check, one core each while busy). */
  ECOURT_FACE_WORKERS: z.coerce.number().int().min(1).max(4).default(1),
  /** 活体检测: the challenges live face checks draw from, a comma list of turnLeft, turnRight, blink, openMouth (default all four). */
  ECOURT_LIVENESS_CHALLENGES: z
    .string()
    .default(LIVENESS_CHALLENGES.join(','))
    .transform((value) => [...new Set(value.split(',').map((name) => name.trim()).filter((name) => name !== ''))])
    .pipe(z.array(z.enum(LIVENESS_CHALLENGES)).min(1, 'name at least one challenge')),
  /** 人脸采集: days an enrolment's raw image is kept (sealed) before it is purged; 0 = never stored. */
  ECOURT_FACE_IMAGE_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** 立案须实名: parties and lawyers file cases only with a passed real-name check; a court may turn it off for migrated accounts. */
  ECOURT_FILING_REQUIRES_REAL_NAME: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /** 用印权限: per seal (court, judgeSignature or a certificate id), the roles that apply it at once: "court:judge,courtAdmin;judgeSignature:judge" (platform/seal-roles.ts). */
  ECOURT_SEAL_ROLES: z.string().default(DEFAULT_SEAL_ROLES).transform(parsedWith(parseSealRoles)),
  /** 用印审批: the roles whose sealing is a request a judge of the case approves (comma list, or "none"). */
  ECOURT_SEAL_NEEDS_APPROVAL: z.string().default(DEFAULT_SEAL_NEEDS_APPROVAL).transform(parsedWith(parseSealApprovalRoles)),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment once. Throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const keys = Object.keys(configSchema.shape) as (keyof Config)[];
  const picked: Record<string, string | undefined> = {};
  for (const key of keys) picked[key] = env[key];
  const result = configSchema.safeParse(picked);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(environment)'),
      message: issue.message,
    })),
  );
}

/** The blob store's folder: ECOURT_BLOB_DIR, else <ECOURT_DATA_DIR>/blobs. */
export function blobDirOf(config: Pick<Config, 'ECOURT_BLOB_DIR' | 'ECOURT_DATA_DIR'>): string {
  return config.ECOURT_BLOB_DIR ?? join(config.ECOURT_DATA_DIR, 'blobs');
}

/** The court CA's folder: ECOURT_CA_DIR, else <ECOURT_DATA_DIR>/ca. */
export function caDirOf(config: Pick<Config, 'ECOURT_CA_DIR' | 'ECOURT_DATA_DIR'>): string {
  return config.ECOURT_CA_DIR ?? join(config.ECOURT_DATA_DIR, 'ca');
}

/** Embedded mode = no external database and no external bus. */
export function isEmbedded(config: Config): boolean {
  return config.DATABASE_URL === undefined && config.NATS_URL === undefined;
}
