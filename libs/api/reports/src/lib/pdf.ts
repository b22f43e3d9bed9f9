import { existsSync, readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/**
 * A small PDF writer for the monthly report (issue 14 §4: "PDF with readable Chinese"). No PDF library is
 * installed in the workspace, so this writes PDF 1.7 directly: one Type0 font (CIDFontType2, Identity-H)
 * embedded from a TrueType CJK font of Debian's packages (`fonts-wqy-microhei`, or `fonts-wqy-zenhei` /
 * `fonts-arphic-uming`), subset to the glyphs used (other glyphs emptied, ids kept), with a ToUnicode map so
 * the text can be searched and extracted (`pdftotext`). Noto CJK (CFF outlines) is not supported here.
 */
export const PDF_FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/truetype/arphic/uming.ttc',
];

interface Font { tables: Map<string, Buffer>; cmap: Map<number, number>; widths: (gid: number) => number; unitsPerEm: number; name: string }
let cached: Font | null | undefined;

function loadFont(): Font | null {
  if (cached !== undefined) return cached;
  const path = PDF_FONT_CANDIDATES.find((p) => existsSync(p));
  cached = path ? parseFont(readFileSync(path)) : null;
  return cached;
}

function parseFont(file: Buffer): Font {
  // A TrueType collection: the first font's offset table.
  const base = file.toString('latin1', 0, 4) === 'ttcf' ? file.readUInt32BE(12) : 0;
  const n = file.readUInt16BE(base + 4);
  const tables = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) {
    const r = base + 12 + i * 16;
    const tag = file.toString('latin1', r, r + 4);
    const off = file.readUInt32BE(r + 8);
    const len = file.readUInt32BE(r + 12);
    tables.set(tag, file.subarray(off, off + len));
  }
  const head = tables.get('head')!;
  const hhea = tables.get('hhea')!;
  const hmtx = tables.get('hmtx')!;
  const unitsPerEm = head.readUInt16BE(18);
  const nMetrics = hhea.readUInt16BE(34);
  const widths = (gid: number) => hmtx.readUInt16BE(Math.min(gid, nMetrics - 1) * 4);
  return { tables, cmap: parseCmap(tables.get('cmap')!), widths, unitsPerEm, name: 'WenQuanYiMicroHei' };
}

function parseCmap(c: Buffer): Map<number, number> {
  const out = new Map<number, number>();
  const n = c.readUInt16BE(2);
  let best = -1;
  let fmt12 = -1;
  for (let i = 0; i < n; i++) {
    const pid = c.readUInt16BE(4 + i * 8);
    const eid = c.readUInt16BE(6 + i * 8);
    const off = c.readUInt32BE(8 + i * 8);
    const f = c.readUInt16BE(off);
    if (pid === 3 && eid === 10 && f === 12) fmt12 = off;
    if (pid === 3 && eid === 1 && f === 4) best = off;
  }
  if (fmt12 >= 0) {
    const groups = c.readUInt32BE(fmt12 + 12);
    for (let g = 0; g < groups; g++) {
      const p = fmt12 + 16 + g * 12;
      const start = c.readUInt32BE(p);
      const end = c.readUInt32BE(p + 4);
      const gid = c.readUInt32BE(p + 8);
      for (let u = start; u <= end && u - start < 70000; u++) out.set(u, gid + (u - start));
    }
    return out;
  }
  if (best < 0) throw new Error('pdf font: no Unicode cmap');
  const segX2 = c.readUInt16BE(best + 6);
  const ends = best + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const ranges = deltas + segX2;
  for (let s = 0; s < segX2 / 2; s++) {
    const end = c.readUInt16BE(ends + s * 2);
    const start = c.readUInt16BE(starts + s * 2);
    const delta = c.readInt16BE(deltas + s * 2);
    const ro = c.readUInt16BE(ranges + s * 2);
    for (let u = start; u <= end && u !== 0xffff; u++) {
      let gid: number;
      if (ro === 0) gid = (u + delta) & 0xffff;
      else {
        const at = ranges + s * 2 + ro + (u - start) * 2;
        gid = c.readUInt16BE(at);
        if (gid) gid = (gid + delta) & 0xffff;
      }
      if (gid) out.set(u, gid);
    }
  }
  return out;
}

/** A standalone TrueType font with only the used glyphs' outlines (composite glyphs' parts included); glyph ids unchanged. */
function subsetFont(font: Font, used: Set<number>): Buffer {
  const head = Buffer.from(font.tables.get('head')!);
  const long = head.readInt16BE(50) === 1;
  const loca = font.tables.get('loca')!;
  const glyf = font.tables.get('glyf')!;
  const numGlyphs = font.tables.get('maxp')!.readUInt16BE(4);
  const at = (g: number) => (long ? loca.readUInt32BE(g * 4) : loca.readUInt16BE(g * 2) * 2);
  const keep = new Set<number>([0]);
  const visit = (g: number) => {
    if (keep.has(g) && g !== 0) return;
    keep.add(g);
    const s = at(g);
    if (at(g + 1) - s < 10 || glyf.readInt16BE(s) >= 0) return;
    let p = s + 10;
    for (;;) {
      const flags = glyf.readUInt16BE(p);
      visit(glyf.readUInt16BE(p + 2));
      p += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
      if (!(flags & 0x20)) break;
    }
  };
  for (const g of used) if (g < numGlyphs) visit(g);
  const parts: Buffer[] = [];
  const newLoca = Buffer.alloc((numGlyphs + 1) * 4);
  let off = 0;
  for (let g = 0; g < numGlyphs; g++) {
    newLoca.writeUInt32BE(off, g * 4);
    if (keep.has(g)) {
      const data = glyf.subarray(at(g), at(g + 1));
      const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
      parts.push(padded);
      off += padded.length;
    }
  }
  newLoca.writeUInt32BE(off, numGlyphs * 4);
  head.writeInt16BE(1, 50);
  head.writeUInt32BE(0, 8);
  const tables = new Map(font.tables);
  tables.set('head', head);
  tables.set('loca', newLoca);
  tables.set('glyf', Buffer.concat(parts));
  const keepTags = ['OS/2', 'cmap', 'cvt ', 'fpgm', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'name', 'post', 'prep'].filter((t) => tables.has(t));
  const headerLen = 12 + keepTags.length * 16;
  const dir = Buffer.alloc(headerLen);
  dir.writeUInt32BE(0x00010000, 0);
  dir.writeUInt16BE(keepTags.length, 4);
  const bodies: Buffer[] = [];
  let pos = headerLen;
  keepTags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
    let sum = 0;
    for (let k = 0; k < padded.length; k += 4) sum = (sum + padded.readUInt32BE(k)) >>> 0;
    dir.write(tag, 12 + i * 16, 'latin1');
    dir.writeUInt32BE(sum, 16 + i * 16);
    dir.writeUInt32BE(pos, 20 + i * 16);
    dir.writeUInt32BE(data.length, 24 + i * 16);
    bodies.push(padded);
    pos += padded.length;
  });
  return Buffer.concat([dir, ...bodies]);
}

/** A line of the document: text at a size, optionally bold-ish (drawn twice) or as table cells at x offsets (points). */
export type PdfLine = { text: string; size?: number; gap?: number } | { cells: string[]; at: number[]; size?: number; gap?: number };

export class PdfFontMissing extends Error {}

/** Render lines onto A4 pages (wrapping long text lines) and return the PDF bytes. */
export function renderPdf(lines: PdfLine[], title: string): Buffer {
  const font = loadFont();
  if (!font) throw new PdfFontMissing('no CJK TrueType font installed');
  const W = 595.28;
  const H = 841.89;
  const M = 48;
  const used = new Set<number>();
  const gid = (cp: number) => font.cmap.get(cp) ?? 0;
  const width = (s: string, size: number) => [...s].reduce((t, ch) => t + (font.widths(gid(ch.codePointAt(0)!)) / font.unitsPerEm) * size, 0);
  const hex = (s: string) => [...s].map((ch) => { const g = gid(ch.codePointAt(0)!); used.add(g); return g.toString(16).padStart(4, '0'); }).join('');
  const pages: string[][] = [[]];
  let y = H - M;
  const put = (ops: string, size: number, gap: number) => {
    if (y - size - gap < M) { pages.push([]); y = H - M; }
    y -= size + gap;
    pages[pages.length - 1].push(ops.replace(/\{Y\}/g, y.toFixed(2)));
  };
  for (const l of lines) {
    const size = l.size ?? 10;
    const gap = l.gap ?? 4;
    if ('cells' in l) {
      put(l.cells.map((c, i) => `BT /F1 ${size} Tf ${(M + l.at[i]).toFixed(2)} {Y} Td <${hex(c)}> Tj ET`).join('\n'), size, gap);
      continue;
    }
    // Wrap by width.
    let cur = '';
    const out: string[] = [];
    for (const ch of l.text) {
      if (width(cur + ch, size) > W - 2 * M) { out.push(cur); cur = ''; }
      cur += ch;
    }
    out.push(cur);
    out.forEach((t, i) => put(`BT /F1 ${size} Tf ${M} {Y} Td <${hex(t)}> Tj ET`, size, i ? 2 : gap));
  }
  pages.forEach((p, i) => p.push(`BT /F1 8 Tf ${(W / 2 - 10).toFixed(2)} 24 Td <${hex(`${i + 1} / ${pages.length}`)}> Tj ET`));

  // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, 6 font file, 7 ToUnicode, 8 info, then page + content pairs.
  const objs: (string | Buffer)[] = [];
  const stream = (dict: string, data: Buffer) => Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
  const pageIds = pages.map((_, i) => 9 + i * 2);
  objs[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objs[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objs[3] = `<< /Type /Font /Subtype /Type0 /BaseFont /${font.name} /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 7 0 R >>`;
  const gids = [...used].sort((a, b) => a - b);
  const w = gids.map((g) => `${g} [${Math.round((font.widths(g) / font.unitsPerEm) * 1000)}]`).join(' ');
  objs[4] = `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${font.name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 /W [${w}] /CIDToGIDMap /Identity >>`;
  objs[5] = `<< /Type /FontDescriptor /FontName /${font.name} /Flags 4 /FontBBox [-200 -250 1200 950] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 /FontFile2 6 0 R >>`;
  const sub = subsetFont(font, used);
  objs[6] = stream(`/Filter /FlateDecode /Length1 ${sub.length}`, deflateSync(sub));
  // ToUnicode: glyph id → the character it was drawn for.
  const back = new Map<number, number>();
  for (const [cp, g] of font.cmap) if (used.has(g) && !back.has(g)) back.set(g, cp);
  const utf16 = (cp: number) => Buffer.from(String.fromCodePoint(cp), 'utf16le').swap16().toString('hex');
  const entries = [...back].sort((a, b) => a[0] - b[0]);
  const chunks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const part = entries.slice(i, i + 100);
    chunks.push(`${part.length} beginbfchar\n${part.map(([g, cp]) => `<${g.toString(16).padStart(4, '0')}> <${utf16(cp)}>`).join('\n')}\nendbfchar`);
  }
  const cmap = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
${chunks.join('\n')}
endcmap CMapName currentdict /CMap defineresource pop end end`;
  objs[7] = stream('/Filter /FlateDecode', deflateSync(Buffer.from(cmap, 'latin1')));
  objs[8] = `<< /Title <FEFF${Buffer.from(title, 'utf16le').swap16().toString('hex')}> /Producer (Linggong) >>`;
  pages.forEach((p, i) => {
    objs[pageIds[i]] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${W} ${H}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i] + 1} 0 R >>`;
    objs[pageIds[i] + 1] = stream('/Filter /FlateDecode', deflateSync(Buffer.from(p.join('\n'), 'latin1')));
  });
  const out: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let len = out[0].length;
  for (let i = 1; i < objs.length; i++) {
    offsets[i] = len;
    const body = objs[i];
    const b = Buffer.concat([Buffer.from(`${i} 0 obj\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n', 'latin1')]);
    out.push(b);
    len += b.length;
  }
  const xref = `xref\n0 ${objs.length}\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out.push(Buffer.from(`${xref}trailer\n<< /Size ${objs.length} /Root 1 0 R /Info 8 0 R >>\nstartxref\n${len}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(out);
}
