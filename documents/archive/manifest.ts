// The case file's manifest (manifest.json in the bundle folder): which files the bundle holds, each
// original's SHA-256 and where its pages sit in the bundle PDF. Also the folder's fixed layout, shared
// by the builder and the offline verifier.
import { createHash } from 'node:crypto';

export const CASE_FILE_FORMAT = 'ecourt-case-file/1';
export const BUNDLE_FILE = 'case-file.pdf';
export const MANIFEST_FILE = 'manifest.json';
export const ROOT_FILE = 'root.crt';
export const CRL_FILE = 'crl.pem';
export const ITEMS_DIR = 'items';
/** An item's file inside the bundle folder; the verifier refuses any other path (no ../ from a forged manifest). */
export const ITEM_FILE_PATTERN = /^items\/[0-9]{3}-[0-9a-f-]{36}\.(pdf|png|jpg|bin)$/;
/** The bundle PDF carries the items' digest in its (sealed) keywords, so a manifest edited to match a changed file is caught. */
export const ITEMS_DIGEST_KEYWORD = 'ecourt-items-sha256=';

export interface CaseFileItem {
  /** 1-based, the catalogue's 序号. */
  number: number;
  id: string;
  kind: string;
  /** The kind as the catalogue names it (e.g. 证据, 庭审笔录). */
  kindLabel: string;
  title: string;
  mimeType: string;
  /** When it was filed (ISO); the catalogue's date is its court date (UTC+8). */
  filedAt: string;
  filedOn: string;
  /** Of the original bytes (the file under `file`). */
  sha256: string;
  sizeBytes: number;
  file: string;
  printable: boolean;
  /** Why it is not in the bundle PDF (other file types, an unreadable PDF). */
  notPrintableReason?: string;
  /** 1-based page range in the bundle PDF; null when not printable. */
  pages: { first: number; last: number } | null;
}

export interface CaseFileManifest {
  format: typeof CASE_FILE_FORMAT;
  case: { id: string; caseNumber: string | null; cause: string; court: { name: string; code: string } };
  builtAt: string;
  /** How the items are ordered, in words (documents/README.md, 电子卷宗). */
  order: string;
  cataloguePages: number;
  totalPages: number;
  items: CaseFileItem[];
  /** SHA-256 of JSON.stringify(items); also sealed inside the bundle PDF's keywords. */
  itemsSha256: string;
  bundle: { file: string; sha256: string; pages: number; sealedBy: string; signingTime: string };
  trust: { root: string; crl: string };
  /** 验证码 printed (text and QR) on the catalogue when the case file was filed at the case's close (archive-on-close.ts). */
  verificationCode?: string;
}

export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export const itemsDigest = (items: CaseFileItem[]): string => sha256Hex(JSON.stringify(items));

export function itemFileName(number: number, id: string, mimeType: string): string {
  const extension = mimeType === 'application/pdf' ? 'pdf' : mimeType === 'image/png' ? 'png' : mimeType === 'image/jpeg' ? 'jpg' : 'bin';
  return `${ITEMS_DIR}/${String(number).padStart(3, '0')}-${id}.${extension}`;
}
