import { randomBytes } from 'node:crypto';

/**
 * Ids are UUIDv7 (DESIGN.md "Conventions"): 48-bit Unix milliseconds, version 7, variant 10, random rest.
 * Written here (RFC 9562 §5.7, a dozen lines) because the `uuid` package is ESM-only and our jest runs CommonJS.
 */
export function newId(): string {
  const b = randomBytes(16);
  const ms = Date.now();
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
