// The court's own certificate authority: one root per court, certificates for its seals and for the
// people who sign (judges), revocation through a CRL. State is kept in files under ECOURT_CA_DIR;
// private keys are encrypted PKCS#8 (AES-256-CBC, a passphrase derived from the node's data key), 0600.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, X509Certificate, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import { certificateParts, encodeName, OID, SIGNATURE_PROFILES, type SignatureProfile, fromPem, issueCertificate, issueCrl, newSerial, serialHex, toPem } from './x509.ts';

/** `timestamping`: the court's TSA (documents/tsa), a certificate with the critical timeStamping EKU. */
export const CERTIFICATE_KINDS = ['court-seal', 'special-seal', 'person', 'timestamping'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

export interface CertificateEntry {
  id: string;
  kind: CertificateKind;
  /** The seal's name (e.g. the court's, or 民事审判庭专用章) or the person's name. */
  name: string;
  department?: string;
  /** `sm2`: an SM2 key signing with SM3 (GB/T 32918); absent: ECDSA P-256 / SHA-256. */
  profile?: 'sm2';
  /** Upper-case hex, as X509Certificate.serialNumber prints it. */
  serial: string;
  notBefore: string;
  notAfter: string;
  revokedAt?: string;
  reason?: string;
  /**
   * A `person` certificate's account (签名人): only it applies the signature through the API
   * (documents/sealing). Kept in ca.json, not in the certificate, so binding needs no re-issue.
   * Absent on certificates issued before binding existed (see platform/seal-roles.ts for those).
   */
  holder?: SignatureHolder;
}

/** The account a judge's signature certificate belongs to; the username as it was when bound, for listings. */
export interface SignatureHolder {
  userId: string;
  username: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const holderProblem = (holder: SignatureHolder | undefined): boolean => holder !== undefined && (!UUID.test(holder.userId) || !holder.username.trim());

interface CaState {
  court: string;
  /** The court's code line printed along the bottom of its seal (统一社会信用代码 or court code). */
  courtCode: string;
  createdAt: string;
  crlNumber: number;
  certificates: CertificateEntry[];
}

export interface Signer {
  entry: CertificateEntry;
  court: string;
  courtCode: string;
  privateKey: KeyObject;
  certificate: Buffer;
  /** Issuer chain up to and including the root, DER. */
  chain: Buffer[];
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const DAY_MS = 86_400_000;

export class CourtCa {
  private derivedPassphrase: string | undefined;

  constructor(
    readonly dir: string,
    /** The node's data key (platform/secrets.ts): CA keys are unreadable without it. Read only when a key is. */
    private readonly dataKey: Buffer | (() => Buffer),
  ) {}

  private get passphrase(): string {
    const key = typeof this.dataKey === 'function' ? this.dataKey() : this.dataKey;
    this.derivedPassphrase ??= Buffer.from(hkdfSync('sha256', key, 'ecourt-court-ca', 'private keys at rest', 32)).toString('hex');
    return this.derivedPassphrase;
  }

  get initialised(): boolean {
    return existsSync(join(this.dir, 'ca.json'));
  }

  init(options: { court: string; courtCode: string; now?: Date; years?: number }): CertificateEntry {
    if (this.initialised) throw new ConflictError(`The court CA in ${this.dir} already exists / 法院CA已存在`);
    if (!options.court.trim()) throw new AppError('VALIDATION_FAILED', 'The court name is required / 缺少法院名称', { fields: ['court'] });
    if (!/^[0-9A-Z]{1,24}$/.test(options.courtCode)) {
      throw new AppError('VALIDATION_FAILED', 'The court code must be 1–24 digits or capital letters / 法院代码须为1至24位数字或大写字母', { fields: ['courtCode'] });
    }
    const now = options.now ?? new Date();
    mkdirSync(join(this.dir, 'certs'), { recursive: true, mode: 0o700 });
    mkdirSync(join(this.dir, 'keys'), { recursive: true, mode: 0o700 });
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const subject = encodeName({ organization: options.court, commonName: `${options.court} 电子印章根证书 Root CA` });
    const certificate = issueCertificate({
      serial: newSerial(),
      subject: { organization: options.court, commonName: `${options.court} 电子印章根证书 Root CA` },
      issuer: subject,
      publicKey,
      issuerPublicKey: publicKey,
      issuerPrivateKey: privateKey,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + (options.years ?? 20) * 365 * DAY_MS),
      isCa: true,
    });
    this.writeSecret(join(this.dir, 'root.key'), this.exportKey(privateKey));
    this.writeFile(join(this.dir, 'root.crt'), toPem('CERTIFICATE', certificate));
    const state: CaState = { court: options.court, courtCode: options.courtCode, createdAt: now.toISOString(), crlNumber: 0, certificates: [] };
    this.save(state);
    this.writeCrl(state, now);
    return this.describeRoot();
  }

  /** `holder`: the account a `person` certificate belongs to (the caller has checked it is a judge's). */
  issue(options: { id: string; kind: CertificateKind; name: string; department?: string; days?: number; now?: Date; profile?: SignatureProfile; holder?: SignatureHolder }): CertificateEntry {
    const state = this.load();
    const problems: string[] = [];
    if (!ID_PATTERN.test(options.id)) problems.push('id');
    if (!CERTIFICATE_KINDS.includes(options.kind)) problems.push('kind');
    if (!options.name.trim() || options.name.length > 64) problems.push('name');
    if (options.kind === 'special-seal' && !options.department?.trim()) problems.push('department');
    // SM2 for seals and people only: the TSA's tokens must verify with common tools (openssl ts, NSS).
    if (options.profile !== undefined && (!SIGNATURE_PROFILES.includes(options.profile) || (options.profile === 'sm2' && options.kind === 'timestamping'))) problems.push('profile');
    if (options.days !== undefined && !(Number.isInteger(options.days) && options.days >= 1 && options.days <= 3650)) problems.push('days');
    // Only a person signs in their own name; a seal belongs to the court, not to an account.
    if ((options.holder !== undefined && options.kind !== 'person') || holderProblem(options.holder)) problems.push('holder');
    if (problems.length > 0) {
      throw new AppError('VALIDATION_FAILED', `Invalid certificate request: ${problems.join(', ')} / 证书申请字段有误`, { fields: problems });
    }
    if (state.certificates.some((entry) => entry.id === options.id)) throw new ConflictError(`A certificate "${options.id}" already exists / 证书标识已存在`);
    const now = options.now ?? new Date();
    const root = this.root();
    // An SM2 key is written as PKCS#8 and read back by signer(): only a key loaded so is OpenSSL's SM2
    // type, which signs SM2 (with Z); a freshly generated one would sign plain ECDSA on the SM2 curve.
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: options.profile === 'sm2' ? 'SM2' : 'P-256' });
    const notBefore = new Date(now.getTime() - 60_000);
    const notAfter = new Date(now.getTime() + (options.days ?? 3 * 365) * DAY_MS);
    const serial = newSerial();
    const certificate = issueCertificate({
      serial,
      subject: { organization: state.court, organizationalUnit: options.department, commonName: options.name },
      issuer: certificateParts(root.certificate).subject,
      publicKey,
      issuerPublicKey: root.publicKey,
      issuerPrivateKey: root.privateKey,
      notBefore,
      notAfter,
      isCa: false,
      ...(options.kind === 'timestamping' ? { extendedKeyUsage: [OID.timeStamping] } : {}),
    });
    this.writeSecret(join(this.dir, 'keys', `${options.id}.key`), this.exportKey(privateKey));
    this.writeFile(join(this.dir, 'certs', `${options.id}.crt`), toPem('CERTIFICATE', certificate));
    const entry: CertificateEntry = {
      id: options.id,
      kind: options.kind,
      name: options.name,
      ...(options.department ? { department: options.department } : {}),
      ...(options.profile === 'sm2' ? { profile: 'sm2' as const } : {}),
      serial: serialHex(serial),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      ...(options.holder ? { holder: { userId: options.holder.userId, username: options.holder.username } } : {}),
    };
    state.certificates.push(entry);
    this.save(state);
    return entry;
  }

  revoke(id: string, reason = 'unspecified', now = new Date()): CertificateEntry {
    const state = this.load();
    const entry = state.certificates.find((candidate) => candidate.id === id);
    if (!entry) throw new NotFoundError(`Certificate "${id}"`);
    if (entry.revokedAt) throw new ConflictError(`Certificate "${id}" is already revoked / 证书已吊销`);
    entry.revokedAt = now.toISOString();
    entry.reason = reason;
    this.save(state);
    this.writeCrl(state, now);
    return entry;
  }

  /**
   * Binds an unbound `person` certificate (one issued before binding existed) to its judge's account,
   * keeping its key and serial; a bound one is never re-bound (revoke it and issue a new one).
   */
  bind(id: string, holder: SignatureHolder): CertificateEntry {
    const state = this.load();
    const entry = state.certificates.find((candidate) => candidate.id === id);
    if (!entry) throw new NotFoundError(`Certificate "${id}"`);
    if (entry.kind !== 'person' || holderProblem(holder)) {
      throw new AppError('VALIDATION_FAILED', 'Only a person\'s signature certificate is bound to an account / 仅个人签名证书可绑定账户', { fields: ['holder'] });
    }
    if (entry.holder) throw new ConflictError(`Certificate "${id}" already belongs to an account / 该签名证书已绑定账户`);
    if (entry.revokedAt) throw new ConflictError(`Certificate "${id}" is revoked / 证书已吊销`);
    entry.holder = { userId: holder.userId, username: holder.username };
    this.save(state);
    return entry;
  }

  list(): { court: string; courtCode: string; root: CertificateEntry; certificates: CertificateEntry[] } {
    const state = this.load();
    return { court: state.court, courtCode: state.courtCode, root: this.describeRoot(), certificates: state.certificates };
  }

  /** The key and certificate a seal or person signs with; refuses revoked and expired certificates. */
  signer(id: string, now = new Date()): Signer {
    const state = this.load();
    const entry = state.certificates.find((candidate) => candidate.id === id);
    if (!entry) throw new NotFoundError(`Seal or signing certificate "${id}"`);
    if (entry.revokedAt) {
      throw new AppError('CERTIFICATE_REVOKED', `The certificate "${id}" was revoked and cannot sign / 该证书已吊销，不能签章`, { id, revokedAt: entry.revokedAt });
    }
    if (now < new Date(entry.notBefore) || now > new Date(entry.notAfter)) {
      throw new AppError('CERTIFICATE_EXPIRED', `The certificate "${id}" is not valid now and cannot sign / 该证书不在有效期内，不能签章`, { id, notAfter: entry.notAfter });
    }
    const privateKey = createPrivateKey({ key: readFileSync(join(this.dir, 'keys', `${id}.key`), 'utf8'), passphrase: this.passphrase });
    const certificate = fromPem(readFileSync(join(this.dir, 'certs', `${id}.crt`), 'utf8'));
    return { entry, court: state.court, courtCode: state.courtCode, privateKey, certificate, chain: [this.rootCertificate()] };
  }

  rootCertificate(): Buffer {
    this.load();
    return fromPem(readFileSync(join(this.dir, 'root.crt'), 'utf8'));
  }

  crl(): Buffer {
    this.load();
    return fromPem(readFileSync(join(this.dir, 'crl.pem'), 'utf8'));
  }

  private root(): { certificate: Buffer; publicKey: KeyObject; privateKey: KeyObject } {
    const certificate = this.rootCertificate();
    const privateKey = createPrivateKey({ key: readFileSync(join(this.dir, 'root.key'), 'utf8'), passphrase: this.passphrase });
    return { certificate, privateKey, publicKey: createPublicKey(privateKey) };
  }

  private describeRoot(): CertificateEntry {
    const state = this.load();
    const x509 = new X509Certificate(this.rootCertificate());
    return { id: 'root', kind: 'court-seal', name: `${state.court} Root CA`, serial: x509.serialNumber, notBefore: new Date(x509.validFrom).toISOString(), notAfter: new Date(x509.validTo).toISOString() };
  }

  private writeCrl(state: CaState, now: Date): void {
    const root = this.root();
    state.crlNumber += 1;
    const crl = issueCrl({
      issuer: certificateParts(root.certificate).subject,
      issuerPublicKey: root.publicKey,
      issuerPrivateKey: root.privateKey,
      number: state.crlNumber,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 7 * DAY_MS),
      revoked: state.certificates.filter((entry) => entry.revokedAt).map((entry) => ({ serial: Buffer.from(entry.serial, 'hex'), revokedAt: new Date(entry.revokedAt!) })),
    });
    this.writeFile(join(this.dir, 'crl.pem'), toPem('X509 CRL', crl));
    this.save(state);
  }

  private load(): CaState {
    const file = join(this.dir, 'ca.json');
    if (!existsSync(file)) {
      throw new AppError('CA_NOT_INITIALISED', `No court CA in ${this.dir}: run "ecourt ca init" first / 法院CA尚未初始化`, { dir: this.dir });
    }
    return JSON.parse(readFileSync(file, 'utf8')) as CaState;
  }

  private save(state: CaState): void {
    this.writeFile(join(this.dir, 'ca.json'), JSON.stringify(state, null, 2) + '\n');
  }

  private exportKey(key: KeyObject): string {
    return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: this.passphrase }) as string;
  }

  /** Written whole then renamed, so a crash never leaves a half-written file. */
  private writeFile(file: string, content: string): void {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, content, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  }

  private writeSecret(file: string, content: string): void {
    writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
}
