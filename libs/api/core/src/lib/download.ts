import type { FastifyReply } from 'fastify';

/**
 * Types a download may be served as. The type is sniffed from the bytes, never taken from the
 * uploader: a file claiming `text/html` (or being HTML) leaves as application/octet-stream, so a
 * stored file can never run as a page of the console's origin (issue 12, finding 7).
 */
const SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/png', test: (b) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', test: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', test: (b) => b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', test: (b) => b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-' },
];
export const SAFE_DOWNLOAD_TYPES = SIGNATURES.map((s) => s.type);

/** The safe type of these bytes: a sniffed image or PDF, anything else application/octet-stream. */
export function sniffContentType(content: Buffer): string {
  return SIGNATURES.find((s) => s.test(content))?.type ?? 'application/octet-stream';
}

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 8187). */
export function attachmentDisposition(filename: string, fallback = 'download'): string {
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(filename)?.[0] ?? '';
  const base = filename.slice(0, filename.length - ext.length).normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[_.]+|[_.]+$/g, '').slice(0, 100);
  // A name with nothing ASCII left of its extension (证明.pdf) falls back to download.pdf.
  const ascii = `${/[A-Za-z0-9]/.test(base) ? base : fallback}${ext}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * Send stored bytes as a download: `Content-Disposition: attachment`, a sniffed safe type,
 * `nosniff`, a sandboxing CSP and no caching. Every route that returns stored files uses it.
 */
export function sendDownload(reply: FastifyReply, file: { content: Buffer; filename: string; type?: string; headers?: Record<string, string> }) {
  const sniffed = sniffContentType(file.content);
  // A caller may insist on a type only if the bytes are that type.
  const type = file.type && file.type === sniffed ? file.type : sniffed;
  return reply
    .header('content-type', type)
    .header('content-disposition', attachmentDisposition(file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store')
    .headers(file.headers ?? {})
    .send(file.content);
}
