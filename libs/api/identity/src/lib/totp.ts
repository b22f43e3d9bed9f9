import { createHash, randomBytes, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import { toDataURL } from 'qrcode';
import type { TotpEnrolment } from '@linggong/domain';
import { APP_CONFIG, Pii, refusesDemoSecrets, type AppConfig } from '@linggong/api-core';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + B32[(value << (5 - bits)) & 31] : out;
}

/**
 * The demo's PUBLISHED TOTP secret of a user (README): 160 bits from SHA-256 of a fixed label and the
 * username, in base32. Anyone can compute it, which is the point for a demo and why production
 * refuses it (`refusesDemoSecrets`).
 */
export function demoTotpSecret(username: string): string {
  return base32(createHash('sha256').update(`linggong-demo-totp:${username.trim().toLowerCase()}`).digest().subarray(0, 20));
}

/** The current code for a secret (the demo's `npm run demo:otp`, and tests). */
export function totpCode(secret: string, at: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * TOTP (RFC 6238 via otplib 13: SHA-1, 6 digits, 30-second steps, one step of clock drift either
 * way), secrets encrypted at rest with the PII key, and recovery codes: ten of 10 characters from a
 * 31-letter alphabet (≈ 50 bits each), shown once and stored as SHA-256 hashes — enough for codes of
 * that entropy whose guessing is limited by the per-account lockout.
 */
@Injectable()
export class TotpService {
  constructor(private readonly pii: Pii, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  newSecret(): string {
    return generateSecret();
  }

  encrypt(secret: string): string {
    return this.pii.encrypt(secret);
  }

  decrypt(stored: string): string {
    return this.pii.decrypt(stored);
  }

  /** The secret shown for manual entry, its otpauth:// URI and that URI as a QR code (PNG data URL). */
  async enrolment(username: string, secret: string): Promise<TotpEnrolment> {
    const otpauthUri = generateURI({ issuer: this.config.TOTP_ISSUER, label: username, secret });
    return { secret, otpauthUri, qrDataUrl: await toDataURL(otpauthUri, { margin: 1, width: 220, errorCorrectionLevel: 'M' }) };
  }

  /** The time step of a valid code (the caller stores it so the code is not accepted again), or null. */
  async check(secret: string, code: string): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    try {
      const r = await verify({ secret, token: code, epochTolerance: 30 });
      return r.valid && 'timeStep' in r ? r.timeStep : null;
    } catch {
      return null;
    }
  }

  /** A published demo secret that this deployment refuses (production, or TOTP_REFUSE_DEMO_SECRETS). */
  refused(username: string, secret: string): boolean {
    return refusesDemoSecrets(this.config) && secret === demoTotpSecret(username);
  }

  recoveryCodes(): { codes: string[]; hashes: string[] } {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const s = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
      return `${s.slice(0, 5)}-${s.slice(5)}`;
    });
    return { codes, hashes: codes.map((c) => this.hashRecovery(c)) };
  }

  hashRecovery(code: string): string {
    return createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');
  }

  /** An opaque token for a pending sign-in step. */
  challengeToken(): string {
    return randomBytes(32).toString('base64url');
  }
}
