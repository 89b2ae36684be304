// `ecourt <command>`: start a node, migrate the database, seed the demo court.
// Exit codes: 0 ok, 1 failure, 2 bad configuration or usage.
import { parseArgs } from 'node:util';
import { ConfigError, PROCESS_ROLES, parseConfig, type Config, type ProcessRole } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { DEMO_USERNAMES } from '../platform/demo-seed.ts';

const USAGE = `ecourt — online litigation platform / 在线诉讼平台

Usage:
  ecourt start [--role all|hub|actors]   start a node (default: all, on embedded defaults)
  ecourt migrate                          apply database migrations
  ecourt seed-demo                        create the demo court, accounts and cases (if none exist)
  ecourt transcribe <file.wav> [--engine pocketsphinx|whisper] [--language en|zh] [--json | --format vtt|srt|txt]
                                          recognise speech in a 16 kHz mono 16-bit WAV recording
                                          (zh needs whisper; --format prints subtitles or plain text)
  ecourt id check <number> [--type resident|residence|passport|hkmo|tw] [--json]
                                          check an identity document number (GB 11643 for resident IDs)
  ecourt face compare <a> <b> [--json]   are the faces in two photos (JPEG/PNG) one person? (exit 0 same, 1 different or refused)
  ecourt ocr idcard <image> [--side front|back] [--name <typed>] [--id-number <typed>] [--engine tesseract.js|tesseract-cli] [--json]
                                          read a photo of a resident ID card (exit 0 read, 1 check or refused)
  ecourt ca init|issue|revoke|list|root   the court's certificate authority for seals and signatures (ecourt ca help)
  ecourt seal <in.pdf> --out <out.pdf> [--seal <id>] --mode fixed|keyword|cross-page … [--json]   (usage: ecourt seal)
                                          seal a PDF (PAdES signature in an incremental update; exit 1 refused)
  ecourt verify <file.pdf> [--json]      check every signature in a PDF (exit 0 all valid, 1 otherwise)
  ecourt verify [<file.pdf>] --code <code> [--json]
                                          look a 验证码 up in this node's database, and whether the file is its document (exit 0 yes, 1 no)
  ecourt document render <template> <data.json> --out <file.pdf|file.docx> [--json]
                                          lay out a court document (ecourt document templates | sample <template>)
  ecourt archive <caseId> [--out <dir>] [--seal <id>] [--json] | archive verify <dir> [--json]
                                          the case's electronic case file (电子卷宗): sealed PDF + originals + manifest
  ecourt fee <amount> [--procedure ordinary|simplified|small-claims] [--json]
                                          the case acceptance fee (诉讼费用交纳办法) and its calculation
  ecourt filing check <filing.json> [--json] [--court-region R] [--today YYYY-MM-DD] [--rules ruleset.json]
                                          dry-run the filing rules: decision, fee, rule trace (exit 0 auto-accepted)
  ecourt help

Configuration comes from environment variables; see README.md.`;

type Command = (args: string[], config: Config) => Promise<number>;

const commands: Record<string, Command> = {
  start: async (args, config) => {
    const { values } = parseArgs({ args, options: { role: { type: 'string' } }, strict: true });
    const role = (values.role ?? config.ECOURT_ROLE) as ProcessRole;
    if (!PROCESS_ROLES.includes(role)) throw new UsageError(`--role must be one of ${PROCESS_ROLES.join(', ')}`);
    if (role !== 'actors') {
      // A fresh clone has no built portal yet: build it once (and again after its sources change).
      const { ensureComponentsBuilt } = await import('../web-components/ensure-built.ts');
      if ((await ensureComponentsBuilt()) === 'built') console.log('Portal components built / 门户组件已构建');
    }
    const { startPlatform } = await import('../platform/node.ts');
    const platform = await startPlatform({ config, role });
    printBanner(platform.hub?.url, platform.demo, role);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        platform.logger.info('stopping', { signal });
        // Flushes pending journal writes before the process exits.
        platform.stop().finally(resolve);
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
    return 0;
  },
  migrate: async (_args, config) => {
    const { openDatabase } = await import('../storage/database.ts');
    const { migrateDatabase } = await import('../storage/migrate.ts');
    const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.ECOURT_DATA_DIR });
    try {
      await migrateDatabase(database);
      console.log(`migrations applied (${database.dialect})`);
    } finally {
      await database.close();
    }
    return 0;
  },
  'seed-demo': async (_args, config) => {
    const { startPlatform } = await import('../platform/node.ts');
    // Seeding needs the case actors: run an in-process actor node for the duration.
    const platform = await startPlatform({
      config: { ...config, NATS_URL: undefined, PORT: 0 },
      role: 'all',
      seedDemo: true,
      logger: createLogger({ level: 'warn' }),
    });
    try {
      const demo = platform.demo;
      if (!demo?.created) console.log('The database already has accounts; demo data not written. / 数据库已有账户，未写入演示数据。');
      else console.log(`Demo court seeded: ${Object.keys(demo.users).join(', ')} — password: ${demo.password}`);
    } finally {
      await platform.stop();
    }
    return 0;
  },
  transcribe: async (args, config) => {
    const { transcribe, TranscribeUsageError } = await import('./transcribe.ts');
    try {
      return await transcribe(args, config);
    } catch (error) {
      if (error instanceof TranscribeUsageError) throw new UsageError(error.message);
      throw error;
    }
  },
  id: async (args) => {
    const { idCommand, IdCheckUsageError } = await import('./id-check.ts');
    try {
      return idCommand(args);
    } catch (error) {
      if (error instanceof IdCheckUsageError) throw new UsageError(error.message);
      throw error;
    }
  },
  face: async (args) => {
    const { face, FaceUsageError } = await import('./face.ts');
    try {
      return await face(args);
    } catch (error) {
      if (error instanceof FaceUsageError) throw new UsageError(error.message);
      throw error;
    }
  },
  ocr: async (args) => {
    const { ocr, OcrUsageError } = await import('./ocr.ts');
    try {
      return await ocr(args);
    } catch (error) {
      if (error instanceof OcrUsageError) throw new UsageError(error.message);
      throw error;
    }
  },
  ca: async (args, config) => {
    const { ca, CaUsageError } = await import('./ca.ts');
    try {
      return await ca(args, config);
    } catch (error) {
      if (error instanceof CaUsageError) throw new UsageError(error.message);
      throw error;
    }
  },
  seal: async (args, config) => {
    const { seal, SealUsageError } = await import('./seal.ts');
    try {
      return await seal(args, config);
    } catch (error) {
      if (error instanceof SealUsageError) throw new UsageError(error.message);
      throw error;
    }
  },
  archive: async (args, config) => import('./archive.ts').then(({ archive, ArchiveUsageError }) => archive(args, config).catch((error: unknown) => { throw error instanceof ArchiveUsageError ? new UsageError(error.message) : error; })),
  document: async (args) => import('./document.ts').then(({ document, DocumentUsageError }) => document(args).catch((error: unknown) => { throw error instanceof DocumentUsageError ? new UsageError(error.message) : error; })),
  fee: async (args) => import('./fee.ts').then(({ fee, FeeUsageError }) => {
    try {
      return fee(args);
    } catch (error) {
      throw error instanceof FeeUsageError ? new UsageError(error.message) : error;
    }
  }),
  filing: async (args) => import('./filing.ts').then(({ filing, FilingUsageError }) => filing(args).catch((error: unknown) => { throw error instanceof FilingUsageError ? new UsageError(error.message) : error; })),
  verify: async (args, config) => {
    const { verify, VerifyUsageError } = await import('./verify.ts');
    try {
      return await verify(args, config);
    } catch (error) {
      if (error instanceof VerifyUsageError) throw new UsageError(error.message);
      throw error;
    }
  },
  help: async () => {
    console.log(USAGE);
    return 0;
  },
};

class UsageError extends Error {}

function printBanner(url: string | undefined, demo: { password: string | null; created: boolean } | undefined, role: ProcessRole): void {
  const lines = [`ecourt ${role} node ready`];
  if (url) lines.push(`  Portal / 门户: ${url.replace('://0.0.0.0', '://localhost')}/`);
  if (demo?.password) lines.push(`  Demo logins / 演示账户: ${DEMO_USERNAMES.join(' ')} — password / 密码: ${demo.password}`);
  console.log(lines.join('\n'));
}

export async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...args] = argv;
  const command = commands[name === '--help' || name === '-h' ? 'help' : name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  try {
    const config = parseConfig(process.env);
    return await command(args, config);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error('ecourt failed:', error instanceof Error ? error.message : error);
    return 1;
  }
}
