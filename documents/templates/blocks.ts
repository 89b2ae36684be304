// Block builders the templates share: the document's head, the addressee line, the parties block,
// the two-column form and the signature block, written the way court documents write them.
import type { CourtDocument, DocumentBlock, SignatureBlock } from './document-model.ts';
import type { Party } from './template-data.ts';
import { chineseDate } from './chinese-numbers.ts';

/**
 * A court document: the two title lines and the 案号 line (when there is a case number yet), then
 * `body`. Every template starts this way, so the head is laid out in one place.
 */
export function courtDocument(
  template: string,
  title: string,
  dated: { courtName: string; caseNumber?: string | undefined; issuedOn: string },
  body: DocumentBlock[],
): CourtDocument {
  const { courtName, caseNumber, issuedOn } = dated;
  return {
    template,
    title,
    ...(caseNumber ? { caseNumber } : {}),
    courtName,
    issuedOn,
    blocks: [
      { type: 'title', courtName, documentTitle: title },
      ...(caseNumber ? [{ type: 'caseNumber' as const, text: caseNumber }] : []),
      ...body,
    ],
  };
}

/** 张三、李四： the line a notice opens with, naming who it goes to. */
export function addressee(parties: { name: string }[]): DocumentBlock {
  return { type: 'paragraph', text: `${names(parties)}：` };
}

/** A form as the court prints it (传票, 送达回证): item on the left, content on the right, no header row. */
export function formTable(rows: string[][]): DocumentBlock {
  return {
    type: 'table',
    headerRow: false,
    columns: [
      { title: '项目', width: 0.28, align: 'center' },
      { title: '内容', width: 0.72 },
    ],
    rows,
  };
}

/** 原告：张三，男，1980年1月1日出生，住北京市海淀区…。 (organisations: 住所地) */
export function partyParagraphs(label: string, parties: Party[]): DocumentBlock[] {
  return parties.map((party) => ({
    type: 'paragraph',
    indent: true,
    text: `${label}：${party.name}，${party.description ? `${party.description}，` : ''}${party.kind === 'organisation' ? '住所地' : '住'}${party.address}。`,
  }));
}

/** 张三、李四 */
export function names(parties: { name: string }[]): string {
  return parties.map((party) => party.name).join('、');
}

/** A notice's closing: the court's name over the date (the court seal is applied over both). */
export function noticeSignature(courtName: string, issuedOn: string, extra: { title: string; name: string }[] = []): DocumentBlock {
  const block: SignatureBlock = { panel: [], courtName, date: chineseDate(issuedOn), after: extra };
  return { type: 'signature', block };
}

export function paragraphs(texts: string[]): DocumentBlock[] {
  return texts.map((text) => ({ type: 'paragraph', indent: true, text }));
}
