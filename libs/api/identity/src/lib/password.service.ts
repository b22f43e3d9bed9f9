import { Inject, Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { APP_CONFIG, type AppConfig } from '@linggong/api-core';

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
}
