// Applying a seal (or a person's signature) to a PDF: find where it goes, draw the appearance, sign.
// Three placements: fixed (page, x, y); keyword (centred over a text in the PDF's text layer — every
// or the last occurrence); cross-page (骑缝章: strips at the right edge of every page, one signature).
// Several keyword occurrences get one signature each, applied in sequence as incremental updates:
// each is an ordinary single-widget signature every verifier (pdfsig included) accepts, and each
// later one leaves the earlier ones valid — at ~one signing's cost per occurrence.
import { AppError } from '../../platform/errors.ts';
import type { Signer } from '../ca/court-ca.ts';
import type { SubFilter } from '../signing/incremental-signature.ts';
import { malformed, openPdf } from '../signing/pdf-source.ts';
import { signPdf, type SignedPdf } from '../signing/sign-pdf.ts';
import { timestampSignedPdf } from '../tsa/stamp-signature.ts';
import type { Timestamper } from '../tsa/timestamper.ts';
import { drawCourtSeal, drawPersonSignature, type Appearance } from './court-seal.ts';
import { drawCrossPageStrips } from './cross-page-seal.ts';
import { findKeyword } from './find-keyword.ts';
import type { PdfSource } from '../signing/pdf-source.ts';

export const SEAL_MODES = ['fixed', 'keyword', 'cross-page'] as const;
export type SealMode = (typeof SEAL_MODES)[number];

export interface FixedPlacement {
  mode: 'fixed';
  /** 1-based page number. */
  page: number;
  /** Lower-left corner of the seal, in PDF points from the page's lower-left corner. */
  x: number;
  y: number;
  /** Seal diameter (or signature width) in points; 119 pt ≈ the usual 42 mm court seal. */
  size?: number;
}

export const KEYWORD_OCCURRENCES = ['all', 'last'] as const;
export type KeywordOccurrence = (typeof KEYWORD_OCCURRENCES)[number];

export interface KeywordPlacement {
  mode: 'keyword';
  /** The text to seal over, e.g. the court's name or the date line; whitespace is ignored when matching. */
  keyword: string;
  /** Every occurrence (one signature each) or only the last one in reading order (default). */
  occurrence?: KeywordOccurrence;
  size?: number;
}

export interface CrossPagePlacement {
  mode: 'cross-page';
  /** The seal's upper edge in points from the top of the page (default: vertically centred). */
  top?: number;
  size?: number;
}

export type SealPlacement = FixedPlacement | KeywordPlacement | CrossPagePlacement;

/** Where a seal landed: the signature's field and its widget rectangle (1-based page). */
export interface PlacedSeal {
  field: string;
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SealedPdf extends SignedPdf {
  /** One per signature applied (keyword mode with occurrence "all" may apply several). */
  placed: PlacedSeal[];
  /** Cross-page mode: each page's strip (1-based page), all covered by the one signature. */
  strips?: { page: number; x: number; y: number; width: number; height: number }[];
}

export interface ApplySealRequest {
  pdf: Buffer;
  signer: Signer;
  placement: SealPlacement;
  reason?: string;
  signingTime?: Date;
  subFilter?: SubFilter;
  /** ECOURT_TSA (documents/tsa/timestamper.ts): each signature gets the TSA's timestamp (PAdES-T). */
  timestamper?: Timestamper;
}

export const DEFAULT_SEAL_SIZE = 119;

const MAX_KEYWORD_LENGTH = 100;

function invalid(problems: string[], pages: number): AppError {
  return new AppError('VALIDATION_FAILED', `The seal does not fit there: ${problems.join(', ')} (the document has ${pages} pages) / 签章位置无效`, { fields: problems, pages });
}

function sealSize(request: ApplySealRequest): number {
  const size = request.placement.size ?? (request.signer.entry.kind === 'person' ? 140 : DEFAULT_SEAL_SIZE);
  if (!(size >= 20 && size <= 600)) throw invalid(['size'], 0);
  return size;
}

async function drawAppearance(source: PdfSource, signer: Signer, size: number): Promise<Appearance> {
  return signer.entry.kind === 'person'
    ? drawPersonSignature(source.doc, { name: signer.entry.name, role: signer.entry.department, width: size })
    : drawCourtSeal(source.doc, {
        court: signer.court,
        label: signer.entry.kind === 'special-seal' ? signer.entry.name : undefined,
        code: signer.courtCode,
        size,
      });
}

const stampIfAsked = (request: ApplySealRequest, signed: SignedPdf): Promise<SignedPdf> | SignedPdf =>
  request.timestamper ? timestampSignedPdf(signed, request.timestamper) : signed;

const defaultReason = (signer: Signer) => (signer.entry.kind === 'person' ? '签名 / signature' : '电子签章 / court seal');

/** One visible signature whose widget's lower-left corner is (x, y) on the 1-based page. */
async function signAt(request: ApplySealRequest, pdf: Buffer, page: number, at: (appearance: Appearance, pageSize: { width: number; height: number }, pageCount: number) => { x: number; y: number }): Promise<{ signed: SignedPdf; placed: PlacedSeal }> {
  const source = await openPdf(pdf);
  const size = sealSize(request);
  const pageCount = source.doc.getPageCount();
  if (!Number.isInteger(page) || page < 1 || page > pageCount) throw invalid(['page'], pageCount);
  const appearance = await drawAppearance(source, request.signer, size);
  const { x, y } = at(appearance, source.doc.getPage(page - 1).getSize(), pageCount);
  const signed = await stampIfAsked(request, signPdf({
    source,
    signer: request.signer,
    page: page - 1,
    rect: { x, y, width: appearance.width, height: appearance.height, appearance: appearance.ref },
    signingTime: request.signingTime,
    subFilter: request.subFilter,
    reason: request.reason ?? defaultReason(request.signer),
  }));
  return { signed, placed: { field: signed.fieldName, page, x, y, width: appearance.width, height: appearance.height } };
}

async function applyFixed(request: ApplySealRequest, placement: FixedPlacement): Promise<SealedPdf> {
  const { signed, placed } = await signAt(request, request.pdf, placement.page, (appearance, page, pageCount) => {
    const problems: string[] = [];
    if (!(Number.isFinite(placement.x) && placement.x >= 0 && placement.x + appearance.width <= page.width + 0.01)) problems.push('x');
    if (!(Number.isFinite(placement.y) && placement.y >= 0 && placement.y + appearance.height <= page.height + 0.01)) problems.push('y');
    if (problems.length > 0) throw invalid(problems, pageCount);
    return { x: placement.x, y: placement.y };
  });
  return { ...signed, placed: [placed] };
}

async function applyKeyword(request: ApplySealRequest, placement: KeywordPlacement): Promise<SealedPdf> {
  const keyword = typeof placement.keyword === 'string' ? placement.keyword.trim() : '';
  const occurrence = placement.occurrence ?? 'last';
  const problems: string[] = [];
  if (keyword.length === 0 || Array.from(keyword).length > MAX_KEYWORD_LENGTH) problems.push('keyword');
  if (!(KEYWORD_OCCURRENCES as readonly string[]).includes(occurrence)) problems.push('occurrence');
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `Invalid keyword seal request: ${problems.join(', ')} / 关键字签章参数无效`, { fields: problems });
  sealSize(request);
  // Refuse encrypted/malformed files with their own codes before the text layer is read.
  await openPdf(request.pdf);
  const hits = await findKeyword(request.pdf, keyword).catch((error: unknown) => {
    throw malformed(`its text layer cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, error);
  });
  if (hits.length === 0) {
    throw new AppError('SEAL_KEYWORD_NOT_FOUND', `The text "${keyword}" is not in the PDF's text layer; no seal was placed / 文档中未找到关键字“${keyword}”，未签章`, { keyword });
  }
  const targets = occurrence === 'all' ? hits : hits.slice(-1);
  let pdf = request.pdf;
  let last: SignedPdf | undefined;
  const placed: PlacedSeal[] = [];
  // Text positions do not move when signatures are appended, so the hits found once serve every round.
  for (const hit of targets) {
    const round = await signAt(request, pdf, hit.page, (appearance, page) => ({
      // Centred over the keyword, kept on the page when the keyword is near an edge.
      x: Math.min(Math.max(hit.x + hit.width / 2 - appearance.width / 2, 0), Math.max(page.width - appearance.width, 0)),
      y: Math.min(Math.max(hit.y + hit.height / 2 - appearance.height / 2, 0), Math.max(page.height - appearance.height, 0)),
    }));
    pdf = round.signed.bytes;
    last = round.signed;
    placed.push(round.placed);
  }
  return { ...last!, placed };
}

async function applyCrossPage(request: ApplySealRequest, placement: CrossPagePlacement): Promise<SealedPdf> {
  const source = await openPdf(request.pdf);
  const pageCount = source.doc.getPageCount();
  const size = sealSize(request);
  const problems: string[] = [];
  if (request.signer.entry.kind === 'person') problems.push('seal');
  if (pageCount < 2) problems.push('pages');
  const shortest = Math.min(...source.doc.getPages().map((page) => page.getCropBox().height));
  if (placement.top !== undefined && !(Number.isFinite(placement.top) && placement.top >= 0 && placement.top + size <= shortest + 0.01)) problems.push('top');
  if (size > shortest) problems.push('size');
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `A cross-page seal (骑缝章) needs a seal (not a person's signature), at least 2 pages and a seal that fits: ${problems.join(', ')} / 骑缝章参数无效`, { fields: problems, pages: pageCount });
  }
  const appearance = await drawAppearance(source, request.signer, size);
  const { strips, changed } = drawCrossPageStrips(source.doc, appearance, { top: placement.top });
  // The widget sits over the last page's strip (clicking the strip shows the signature); its own
  // appearance is empty because the strip is already drawn in the page's content.
  const lastStrip = strips[strips.length - 1]!;
  const empty = source.doc.context.register(source.doc.context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, lastStrip.width, lastStrip.height] }));
  const signed = await stampIfAsked(request, signPdf({
    source,
    signer: request.signer,
    page: lastStrip.page,
    rect: { x: lastStrip.x, y: lastStrip.y, width: lastStrip.width, height: lastStrip.height, appearance: empty },
    alsoChanged: changed,
    signingTime: request.signingTime,
    subFilter: request.subFilter,
    reason: request.reason ?? '骑缝章 / cross-page seal',
  }));
  const pages = strips.map((strip) => ({ page: strip.page + 1, x: strip.x, y: strip.y, width: strip.width, height: strip.height }));
  return { ...signed, placed: [{ field: signed.fieldName, ...pages[pages.length - 1]! }], strips: pages };
}

export async function applySeal(request: ApplySealRequest): Promise<SealedPdf> {
  const { placement } = request;
  switch (placement.mode) {
    case 'fixed':
      return applyFixed(request, placement);
    case 'keyword':
      return applyKeyword(request, placement);
    case 'cross-page':
      return applyCrossPage(request, placement);
    default:
      throw new AppError('VALIDATION_FAILED', `Unknown seal mode / 未知的签章方式`, { fields: ['mode'] });
  }
}
