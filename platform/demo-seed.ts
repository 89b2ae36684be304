// The demo court: two courts of the city, one account per role, and a few cases in
// different states (one with a scheduled hearing). Accounts and courts go through storage
// use-cases; cases go through their actors, like every real case.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { PersonalDataCipher } from './personal-data.ts';
import { isEmbedded } from './config.ts';
import type { Role } from './roles.ts';
import type { Database } from '../storage/database.ts';
import { createCourt } from '../storage/courts/create-court.ts';
import { createUser } from '../storage/users/create-user.ts';
import { countUsers } from '../storage/users/count-users.ts';
import type { ActorClient } from '../actors/runtime/types.ts';
import type { CaseFiling } from '../actors/case/case.protocol.ts';
import { hashPassword } from '../hub/auth/password.ts';
import { residentIdCheckCharacter } from './identity/resident-id.ts';
import { createLocalRealNameVerifier } from './identity/real-name-verifier.ts';
import { verifyRealName } from '../storage/identity/verify-real-name.ts';

export const DEMO_USERNAMES = ['judge1', 'clerk1', 'party1', 'party2', 'party3', 'lawyer1', 'bank1', 'admin1'] as const;
export type DemoUsername = (typeof DEMO_USERNAMES)[number];

export interface DemoSeedResult {
  /** false when the database already had accounts and nothing was written. */
  created: boolean;
  /** The demo password, when known (set by ECOURT_DEMO_PASSWORD or generated into the data dir). */
  password: string | null;
  users: Partial<Record<DemoUsername, string>>;
  cases: string[];
}

const residentId = (first17: string) => first17 + residentIdCheckCharacter(first17);

/** ECOURT_DEMO_PASSWORD, else one generated once and kept in the data dir (embedded) so restarts print it again. */
export function demoPassword(config: Config): string {
  if (config.ECOURT_DEMO_PASSWORD) return config.ECOURT_DEMO_PASSWORD;
  const generated = () => randomBytes(9).toString('base64url');
  if (!isEmbedded(config)) return generated();
  const dir = join(config.ECOURT_DATA_DIR, 'keys');
  const file = join(dir, 'demo-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const password = generated();
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

interface DemoUser {
  username: DemoUsername;
  displayName: string;
  role: Role;
  staff?: boolean;
  idNumber?: string;
  phone?: string;
  lawyerLicence?: string;
  /** 送达地址 of a party in the demo cases: notices and summonses are addressed there (without one the court refuses to issue them). */
  address?: string;
}

const DEMO_USERS: DemoUser[] = [
  { username: 'judge1', displayName: '李明', role: 'judge', staff: true },
  { username: 'clerk1', displayName: '张华', role: 'clerk', staff: true },
  { username: 'admin1', displayName: '赵强', role: 'courtAdmin', staff: true },
  { username: 'party1', displayName: '陈静', role: 'party', idNumber: residentId('11010519880512302'), phone: '13800138001', address: '北京市朝阳区建国路88号院3号楼1单元502室' },
  { username: 'party2', displayName: '刘洋', role: 'party', idNumber: residentId('11010819900301451'), phone: '13800138002', address: '北京市海淀区中关村南大街5号院2号楼301室' },
  { username: 'party3', displayName: '王强', role: 'party', idNumber: residentId('11010519920715283'), phone: '13800138004', address: '北京市朝阳区朝阳北路101号楼1205室' },
  { username: 'lawyer1', displayName: '周律', role: 'lawyer', idNumber: residentId('11010219820817203'), phone: '13800138003', lawyerLicence: '11101201510123456' },
  { username: 'bank1', displayName: '示范银行北京分行', role: 'institution', phone: '01065550100', address: '北京市西城区金融大街9号' },
];

export async function seedDemoIfEmpty(options: {
  database: Database;
  cipher: PersonalDataCipher;
  actors: ActorClient;
  config: Config;
  logger: Logger;
}): Promise<DemoSeedResult> {
  const { database, cipher, actors, config, logger } = options;
  const db = database.db;
  const password = demoPassword(config);
  if ((await countUsers({ db })) > 0) {
    const known = config.ECOURT_DEMO_PASSWORD !== undefined || isEmbedded(config);
    return { created: false, password: known ? password : null, users: {}, cases: [] };
  }
  const system = { userId: null, role: null };
  const chaoyang = await createCourt({
    db,
    court: { code: '京0105', name: '北京市朝阳区人民法院', nameEn: 'Beijing Chaoyang District People’s Court', region: '北京市朝阳区' },
    actor: system,
  });
  await createCourt({
    db,
    court: { code: '京0108', name: '北京市海淀区人民法院', nameEn: 'Beijing Haidian District People’s Court', region: '北京市海淀区' },
    actor: system,
  });

  const passwordHash = await hashPassword(password);
  const realNameVerifier = createLocalRealNameVerifier();
  const users: Partial<Record<DemoUsername, string>> = {};
  for (const user of DEMO_USERS) {
    const created = await createUser({
      db,
      cipher,
      user: {
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        courtId: user.staff ? chaoyang.id : undefined,
        passwordHash,
        idType: user.idNumber ? 'resident' : undefined,
        idNumber: user.idNumber,
        phone: user.phone,
        lawyerLicence: user.lawyerLicence,
      },
      actor: system,
    });
    users[user.username] = created.id;
    // Parties and lawyers file only once real-name verified (立案须实名): the demo people are
    // verified the way registration does it, through the real-name adapter, and it is recorded.
    if (user.idNumber) {
      await verifyRealName({ db, userId: created.id, claim: { name: user.displayName, idType: 'resident', idNumber: user.idNumber }, verifier: realNameVerifier, actor: system });
    }
  }
  const id = (name: DemoUsername) => users[name]!;
  const by = (name: DemoUsername) => ({ userId: id(name), role: DEMO_USERS.find((u) => u.username === name)!.role });
  const person = (name: DemoUsername) => {
    const user = DEMO_USERS.find((u) => u.username === name)!;
    return { name: user.displayName, kind: 'person' as const, userId: id(name), idNumber: user.idNumber, phone: user.phone, address: user.address };
  };

  const cases: string[] = [];
  const run = async (commands: { type: string; [key: string]: unknown }[]) => {
    const caseId = randomUUID();
    for (const command of commands) {
      const reply = await actors.ask({ kind: 'case', id: caseId }, command);
      if (!reply.ok) throw new Error(`demo seed: ${command.type} refused: ${reply.error.code} ${reply.error.message}`);
    }
    cases.push(caseId);
  };
  const filing = (f: Omit<CaseFiling, 'courtId'>): CaseFiling => ({ courtId: chaoyang.id, ...f });

  // 1. A private lending case just filed (waiting for the filing clerk).
  await run([
    {
      type: 'FILE',
      by: by('party1'),
      filing: filing({
        cause: '民间借贷纠纷',
        claims: '1. 判令被告偿还借款本金人民币50,000元及利息；2. 本案诉讼费用由被告承担。',
        claimAmount: '50000.00',
        facts: '2025年3月1日，被告向原告借款50,000元，约定于2025年12月31日前归还，到期后经多次催要未还。',
        plaintiffs: [person('party1')],
        defendants: [person('party2')],
      }),
    },
  ]);
  // 2. A credit card case filed by the bank, accepted.
  await run([
    {
      type: 'FILE',
      by: by('bank1'),
      filing: filing({
        cause: '信用卡纠纷',
        claims: '判令被告偿还信用卡透支本金人民币23,650.40元及利息、违约金。',
        claimAmount: '23650.40',
        facts: '被告于2023年申领原告发行的信用卡，透支消费后未按约还款。',
        plaintiffs: [{ name: '示范银行北京分行', kind: 'organisation', userId: id('bank1'), address: DEMO_USERS.find((u) => u.username === 'bank1')!.address }],
        defendants: [person('party2')],
      }),
    },
    { type: 'BEGIN_REVIEW', by: by('clerk1') },
    { type: 'ACCEPT', by: by('clerk1') },
  ]);
  // 3. A sales contract case filed by a lawyer for party1, with a hearing scheduled next week.
  const startsAt = new Date(Date.now() + 7 * 24 * 3600_000);
  startsAt.setUTCHours(1, 30, 0, 0); // 09:30 in Beijing
  await run([
    {
      type: 'FILE',
      by: by('lawyer1'),
      filing: filing({
        cause: '买卖合同纠纷',
        claims: '判令被告支付货款人民币186,000元及逾期付款损失。',
        claimAmount: '186000.00',
        facts: '原告依约向被告交付货物，被告仅支付部分货款，余款至今未付。',
        plaintiffs: [person('party1')],
        // The company, and its guarantor (连带保证人) who joins the hearing from the demo as the defendant's side.
        defendants: [{ name: '北京示范商贸有限公司', kind: 'organisation', address: '北京市朝阳区示范路1号' }, person('party3')],
      }),
    },
    { type: 'BEGIN_REVIEW', by: by('clerk1') },
    { type: 'ACCEPT', by: by('clerk1') },
    { type: 'SCHEDULE_HEARING', by: by('clerk1'), hearingId: randomUUID(), startsAt: startsAt.toISOString(), courtroom: '第三法庭' },
  ]);
  // 4. A lease case settled by mediation.
  await run([
    {
      type: 'FILE',
      by: by('party2'),
      filing: filing({
        cause: '房屋租赁合同纠纷',
        claims: '判令被告支付拖欠租金人民币12,000元。',
        claimAmount: '12000.00',
        facts: '被告承租原告房屋，自2025年6月起未付租金。',
        plaintiffs: [person('party2')],
        defendants: [person('party1')],
      }),
    },
    { type: 'BEGIN_REVIEW', by: by('clerk1') },
    { type: 'ACCEPT', by: by('clerk1') },
    { type: 'SETTLE_BY_MEDIATION', by: by('judge1'), summary: '双方自愿达成调解协议：被告于2026年1月31日前支付租金10,000元。' },
  ]);
  logger.info('demo data seeded', { courts: 2, users: DEMO_USERS.length, cases: cases.length });
  return { created: true, password, users, cases };
}
