import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

/**
 * The monthly report as PDF (issue 14 §4: "PDF with readable Chinese"), laid out with pdfkit. pdfkit (through
 * fontkit) embeds a subset of a TrueType CJK font from Debian's packages — `fonts-wqy-microhei` (what
 * tools/dev/prepare.mjs `ensurePdfFont` installs), or `fonts-wqy-zenhei` / `fonts-arphic-uming` — with a
 * ToUnicode map, so the text can be searched and extracted (`pdftotext`). Each candidate is a TrueType
 * collection: the face is chosen by its PostScript name.
 */
export const PDF_FONT_CANDIDATES: readonly { path: string; face: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', face: 'AR-PL-UMing-CN' },
];

/** A line of the document: text at a size (wrapped to the page), or table cells at x offsets (points from the left margin). */
export type PdfLine = { text: string; size?: number; gap?: number } | { cells: string[]; at: number[]; size?: number; gap?: number };

export class PdfFontMissing extends Error {}

const MARGIN = 48;

/** Render lines onto A4 pages (long text lines wrap; a page number at the foot of each) and return the PDF bytes. */
export function renderPdf(lines: PdfLine[], title: string): Promise<Buffer> {
  const font = PDF_FONT_CANDIDATES.find((f) => existsSync(f.path));
  if (!font) return Promise.reject(new PdfFontMissing('no CJK TrueType font installed'));
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: title, Producer: 'Linggong' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.face);
  doc.font('cjk');
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  for (const l of lines) {
    const size = l.size ?? 10;
    doc.fontSize(size);
    doc.y += l.gap ?? 4;
    if ('cells' in l) {
      // One row: every cell on the same baseline; a new page first if the row would not fit.
      if (doc.y + size * 1.3 > bottom()) doc.addPage();
      const y = doc.y;
      l.cells.forEach((c, i) => {
        const w = (l.at[i + 1] ?? width) - l.at[i] - 4;
        doc.text(c, MARGIN + l.at[i], y, { width: w, lineBreak: false, ellipsis: true });
      });
      doc.x = MARGIN;
      doc.y = y + size * 1.3;
      continue;
    }
    doc.text(l.text, MARGIN, doc.y, { width });
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // In the bottom margin: with the margin at 0 for this line, pdfkit does not start a new page for it.
    doc.page.margins.bottom = 0;
    doc.fontSize(8).text(`${i + 1} / ${range.count}`, MARGIN, doc.page.height - 30, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
