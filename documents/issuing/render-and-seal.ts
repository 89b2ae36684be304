// The CPU part of issuing a document (出具文书): the template's document model rendered to PDF with its
// verification mark, and the court seal signed over the court's name (or the date line) in the signature
// block. Pure CPU, no database: so it can run in a worker thread of the issuing pool (issuing-pool.ts)
// while the main thread stores. The seal goes where the renderer says it drew the text (anchor-placement.ts),
// the same spot a keyword seal would find, without reading the PDF back. Timestamping (PAdES-T) is not
// done here: the TSA may be the court's own (its key lives with the main thread) or a remote one.
import type { Signer } from '../ca/court-ca.ts';
import { renderPdf } from '../render/render-pdf.ts';
import type { VerificationMark } from '../render/verification-mark.ts';
import { placementOverAnchor } from '../seal/anchor-placement.ts';
import { applySeal } from '../seal/apply-seal.ts';
import type { SignedPdf } from '../signing/sign-pdf.ts';
import type { CourtDocument } from '../templates/document-model.ts';

export interface RenderAndSealJob {
  model: CourtDocument;
  verification: VerificationMark;
  signer: Signer;
  /** Default: now. */
  signingTime?: Date;
}

export interface RenderedAndSealed {
  /** The sealed PDF, as signPdf returns it (timestampSignedPdf takes it as it is). */
  sealed: SignedPdf;
  pageCount: number;
  /** The rendered PDF's digest before sealing (reproducible: same model, same code → same digest). */
  unsealedSha256: string;
}

export async function renderAndSeal(job: RenderAndSealJob): Promise<RenderedAndSealed> {
  const rendered = await renderPdf(job.model, { verification: job.verification });
  // Over the court's name where the signature block prints it (notices), else over the date line (transcript, judgment).
  const anchor = rendered.anchors.courtName ?? rendered.anchors.date;
  if (!anchor) throw new Error(`template ${job.model.template} rendered no signature block to seal`);
  const sealed = await applySeal({
    pdf: Buffer.from(rendered.bytes),
    signer: job.signer,
    placement: placementOverAnchor(anchor),
    ...(job.signingTime ? { signingTime: job.signingTime } : {}),
  });
  return {
    sealed: { bytes: sealed.bytes, fieldName: sealed.fieldName, byteRange: sealed.byteRange, signingTime: sealed.signingTime },
    pageCount: rendered.pageCount,
    unsealedSha256: rendered.sha256,
  };
}
