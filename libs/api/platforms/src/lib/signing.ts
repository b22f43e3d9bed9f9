import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_HEADERS, signingString } from '@linggong/domain';

/**
 * HMAC-SHA256 signatures of platform calls and webhook deliveries (docs/api.md "Signed platform calls").
 * The signature is lower-case hex of HMAC-SHA256(secret, `timestamp\nnonce\nMETHOD\npath\nbody`).
 */
export function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex signatures (false for different lengths or non-hex input). */
export function sameSignature(a: string, b: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(a) || !/^[0-9a-f]{64}$/.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/**
 * The four headers of a signed call, as a platform computes them: what a client (and the tests) send. `path` is
 * the request target as sent, query string included (`/api/v1/platform/posts?marketId=…`); `body` the exact bytes
 * sent ('' for a GET).
 */
export function signRequest(input: {
  appKey: string; secret: string; method: string; path: string; body?: string; timestamp?: number; nonce?: string;
}): Record<string, string> {
  const ts = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? randomBytes(16).toString('hex');
  return {
    [SIGNATURE_HEADERS.key]: input.appKey,
    [SIGNATURE_HEADERS.timestamp]: ts,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: hmacHex(input.secret, signingString(ts, nonce, input.method, input.path, input.body ?? '')),
  };
}
