// Uploaded PDFs are parsed by pdf.js in a worker thread: page counts, refusals, the bounded queue, the
// time limit.
import { afterEach, describe, expect, it } from 'vitest';
import { PdfPageCounter, PdfUnreadableError } from '../../storage/evidence/pdf-page-counter.ts';
import { inspectEvidenceFile } from '../../storage/evidence/inspect-evidence-file.ts';
import { minimalPdf } from '../support/evidence-files.ts';
import { AppError } from '../../platform/errors.ts';

const counters: PdfPageCounter[] = [];
const counter = (limits?: { timeoutMs: number; maxQueued: number }) => {
  const made = new PdfPageCounter(limits);
  counters.push(made);
  return made;
};

afterEach(async () => {
  await Promise.all(counters.splice(0).map((made) => made.close()));
});

describe('PdfPageCounter', () => {
  it('counts the pages of real PDFs, several in a row, and leaves the caller its bytes', async () => {
    const pages = counter();
    const three = minimalPdf(3);
    expect(await Promise.all([pages.count(minimalPdf(1)), pages.count(three), pages.count(minimalPdf(2))])).toEqual([1, 3, 2]);
    expect(three.byteLength).toBeGreaterThan(0);
    expect(three.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses a broken PDF as unreadable and goes on with the next file', async () => {
    const pages = counter();
    const broken = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0x41)]);
    await expect(pages.count(broken)).rejects.toBeInstanceOf(PdfUnreadableError);
    expect(await pages.count(minimalPdf(2))).toBe(2);
  });

  it('refuses more than its queue holds with SERVICE_BUSY', async () => {
    const pages = counter({ timeoutMs: 10_000, maxQueued: 1 });
    const first = pages.count(minimalPdf(1)); // running
    const second = pages.count(minimalPdf(1)); // queued
    const third = pages.count(minimalPdf(1));
    await expect(third).rejects.toMatchObject({ code: 'SERVICE_BUSY' });
    await expect(third).rejects.toBeInstanceOf(AppError);
    expect(await Promise.all([first, second])).toEqual([1, 1]);
  });

  it('refuses a file not read within the time limit and replaces its worker', async () => {
    const pages = counter({ timeoutMs: 1, maxQueued: 8 });
    await expect(pages.count(minimalPdf(40))).rejects.toThrow(/within 1 ms/);
  });
});

describe('inspectEvidenceFile with the worker', () => {
  it('reports a PDF’s pages and refuses an unreadable one with EVIDENCE_CONTENT_MISMATCH', async () => {
    const pages = counter();
    expect(await inspectEvidenceFile(minimalPdf(2), 'application/pdf', pages)).toEqual({ pageCount: 2 });
    await expect(inspectEvidenceFile(Buffer.from('%PDF-1.4 nothing else'), 'application/pdf', pages)).rejects.toMatchObject({ code: 'EVIDENCE_CONTENT_MISMATCH' });
  });
});
