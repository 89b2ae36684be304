// Page geometry of a court document: A4 with the margins of GB/T 9704-2012 (党政机关公文格式: top 37 mm,
// bottom 35 mm, left 28 mm, right 26 mm; body 3号 = 16 pt, 22 lines of 28 characters; page number in
// 4号 = 14 pt as "— 1 —", 7 mm below the text block). Courts follow the same standard for their documents.

const MM = 72 / 25.4;

export const A4 = { width: 595.28, height: 841.89 };
export const MARGINS = { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM };

export const TEXT_WIDTH = A4.width - MARGINS.left - MARGINS.right; // 156 mm
export const TEXT_TOP = A4.height - MARGINS.top;
export const TEXT_BOTTOM = MARGINS.bottom;

export const SIZES = {
  /** 3号: body text (仿宋 in the standard; we draw it in the CJK font we have). */
  body: 16,
  /** 2号: the document title. */
  title: 22,
  /** 小2号: the court name above the title. */
  courtName: 18,
  /** 4号: table cells and page numbers. */
  table: 12,
  pageNumber: 14,
};

/** 22 lines in the 225 mm text block. */
export const BODY_LINE_HEIGHT = (TEXT_TOP - TEXT_BOTTOM) / 22;
export const TABLE_LINE_HEIGHT = SIZES.table * 1.5;
export const TABLE_CELL_PADDING = 4;

/** Baseline of the page number: 7 mm below the text block, less the number's own height. */
export const PAGE_NUMBER_BASELINE = MARGINS.bottom - 7 * MM - SIZES.pageNumber;

/** Room the signature block keeps above the date for the court seal (a 42 mm seal; its centre sits on the date). */
export const SEAL_ROOM = 21 * MM;

export const MM_TO_PT = MM;
