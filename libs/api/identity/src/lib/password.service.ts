import { Inject, Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { passwordProblem } from '@linggong/domain';
import { APP_CONFIG, type AppConfig } from '@linggong/api-core';

/**
 * Common and breached passwords (OWASP ASVS V2.1.7): the `passwords-common` list of
 * @zxcvbn-ts/language-common (a maintained npm package; about 49,000 of the most frequent passwords
 * in public breach corpora), lower-cased.
 */
let common: Set<string> | undefined;
const commonPasswords = () => (common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase())));

/** Argon2id (issue 2 §4) via @node-rs/argon2, which ships prebuilt binaries (no install scripts). */
@Injectable()
export class PasswordService {
  private dummy?: Promise<string>;
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id, memoryCost: this.config.ARGON2_MEMORY_KIB, timeCost: 2, parallelism: 1 });
  }

  async verify(stored: string | null, password: string): Promise<boolean> {
    // Unknown users cost the same time as known ones, so timing does not reveal usernames.
    const target = stored ?? (await (this.dummy ??= this.hash('not-a-real-password-Xy1!')));
    try {
      return (await verify(target, password)) && stored !== null;
    } catch {
      return false;
    }
  }

  /**
   * The whole policy for a new password (an i18n key, or null): the shared length and username rules,
   * then the common-password list — the password itself, or its core once digits and symbols at
   * either end are stripped (`Password2026!` is `password`), or fewer than 5 distinct characters.
   */
  problem(password: string, username?: string): string | null {
    const basic = passwordProblem(password, username);
    if (basic) return basic;
    const lower = password.toLowerCase();
    const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
    if (new Set(lower).size < 5 || commonPasswords().has(lower) || (core.length >= 4 && commonPasswords().has(core))) return 'password_common';
    return null;
  }
}
