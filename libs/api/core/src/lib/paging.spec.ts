import { containsPattern, likeEscape, sortColumn } from './paging';
import { ProblemException } from './problem';
import { attachmentDisposition, sniffContentType } from './download';

describe('sortColumn (issue 12, finding 9)', () => {
  const sortable = { name: 'o.name', createdAt: 'o.created_at' };
  it('finds own keys, either direction, and the default', () => {
    expect(sortColumn(sortable, '-createdAt', 'name')).toEqual({ col: 'o.created_at', desc: true });
    expect(sortColumn(sortable, undefined, '-name')).toEqual({ col: 'o.name', desc: true });
  });
  it.each(['constructor', '-constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'nope'])('refuses %s with a 400 on sort', (key) => {
    let err: unknown;
    try { sortColumn(sortable, key, 'name'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ProblemException);
    expect((err as ProblemException).status).toBe(400);
    expect((err as ProblemException).errors).toEqual([{ field: 'sort', key: 'sort_unknown' }]);
  });
});

describe('downloads (issue 12, finding 7)', () => {
  it('sniffs images and PDF, and nothing else', () => {
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe1]))).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from('GIF89a...'))).toBe('image/gif');
    expect(sniffContentType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffContentType(Buffer.from('%PDF-1.4'))).toBe('application/pdf');
    for (const s of ['<html></html>', '<svg xmlns="http://www.w3.org/2000/svg"/>', '<?xml version="1.0"?>', 'plain text', '']) {
      expect(sniffContentType(Buffer.from(s))).toBe('application/octet-stream');
    }
  });
  it('always names an attachment, with an ASCII fallback that cannot break the header', () => {
    expect(attachmentDisposition('证明.pdf')).toBe(`attachment; filename="download.pdf"; filename*=UTF-8''%E8%AF%81%E6%98%8E.pdf`);
    expect(attachmentDisposition('a"b\r\nc.jpg')).toMatch(/^attachment; filename="a_b_c.jpg"; filename\*=UTF-8''a%22b%0D%0Ac.jpg$/);
    expect(attachmentDisposition("it's (1).png")).toContain("filename*=UTF-8''it%27s%20%281%29.png");
  });
});

describe('search patterns', () => {
  it('take the text literally: % _ and \\ escaped for LIKE', () => {
    expect(containsPattern('wage_arrears')).toBe('%wage\\_arrears%');
    expect(containsPattern('50%')).toBe('%50\\%%');
    expect(containsPattern('a\\b')).toBe('%a\\\\b%');
    expect(likeEscape('tool_loan')).toBe('tool\\_loan');
    expect(containsPattern('拖欠工资')).toBe('%拖欠工资%');
  });
});
