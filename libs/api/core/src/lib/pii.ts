import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './config';

const DEV_ENC_KEY = '706969'.padEnd(64, '1');
const DEV_INDEX_KEY = '696478'.padEnd(64, '2');

/**
 * Personal data at rest (DESIGN.md "Personal data"): AES-256-GCM with a random 96-bit nonce
 * (`v1:` nonce ‖ tag ‖ ciphertext, base64), and a blind index — HMAC-SM3 of the normalised value under
 * a separate key — so a value can be looked up without decrypting anything.
 */
@Injectable()
export class Pii {
  private readonly encKey: Buffer;
  private readonly indexKey: Buffer;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.encKey = Buffer.from(config.PII_ENCRYPTION_KEY ?? DEV_ENC_KEY, 'hex');
    this.indexKey = Buffer.from(config.PII_INDEX_KEY ?? DEV_INDEX_KEY, 'hex');
  }

  encrypt(plain: string): string {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, nonce);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1:${Buffer.concat([nonce, c.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(stored: string): string {
    const raw = Buffer.from(stored.replace(/^v1:/, ''), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }

  /** Blind index of a value in a named field (the field name is mixed in, so equal values in two fields differ). */
  index(field: string, value: string): string {
    return createHmac('sm3', this.indexKey).update(`${field}:${value.trim().toUpperCase()}`).digest('hex');
  }
}
