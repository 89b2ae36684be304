// The court document as blocks, independent of the output format: the PDF and DOCX renderers
// (documents/render/) both draw this, so a judge's Word copy and the sealed PDF say the same thing.

export type Alignment = 'left' | 'center' | 'right';

export interface TableColumn {
  title: string;
  /** Share of the text width (the shares of a table add up to 1). */
  width: number;
  align?: Alignment;
}

export type DocumentBlock =
  /** The court's name, then the document's name: the two centred title lines of every court document. */
  | { type: 'title'; courtName: string; documentTitle: string }
  /** 案号 line, right-aligned under the title. */
  | { type: 'caseNumber'; text: string }
  /** A body paragraph; `indent` is the two-character first-line indent of Chinese prose. */
  | { type: 'paragraph'; text: string; indent?: boolean; align?: Alignment; bold?: boolean }
  /** A centred sub-heading (e.g. 附表). */
  | { type: 'heading'; text: string }
  /** A bordered table; its header row repeats on every page it runs onto. */
  | { type: 'table'; columns: TableColumn[]; rows: string[][]; footer?: string[]; /** Forms (传票, 送达回证) have no header row. */ headerRow?: boolean }
  | { type: 'signature'; block: SignatureBlock };

export interface SignatureBlock {
  /** 审判长 / 审判员 / 人民陪审员 lines, above the date. */
  panel: { title: string; name: string }[];
  /** Printed above the date on notices (the seal goes over it); judgments leave it out. */
  courtName?: string;
  /** 二〇二六年十一月二十七日 */
  date: string;
  /** 书记员 (or another line) below the date. */
  after: { title: string; name: string }[];
}

export interface CourtDocument {
  template: string;
  title: string;
  caseNumber?: string;
  courtName: string;
  /** ISO date the document is dated (fixes the PDF's CreationDate, so the same data renders the same bytes). */
  issuedOn: string;
  blocks: DocumentBlock[];
}
