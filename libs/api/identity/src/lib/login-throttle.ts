import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, REDIS, type AppConfig, type Redis } from '@linggong/api-core';

/**
 * Failed sign-in attempts per account name, in Redis (issue 12, findings 3 and 10): every name is
 * counted, known or not, so the 423 after LOGIN_MAX_FAILURES failures looks the same for a name that
 * does not exist; and the count is per name, not per IP, so spreading guesses over many addresses
 * does not help. Wrong second-factor codes and wrong current passwords on the password-change route
 * count here too. The first failure opens a LOCKOUT_MINUTES window; reaching the limit (re)starts it as
 * the lock. Known users are also locked in the database (`auth_login_failed`), which an admin sees and
 * clears (`users/:id/unlock` clears this counter too).
 */
@Injectable()
export class LoginThrottle {
  constructor(@Inject(REDIS) private readonly redis: Redis, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private key(username: string): string {
    return `${this.config.REDIS_PREFIX}:login-fail:${createHash('sha256').update(username.trim().toLowerCase()).digest('hex')}`;
  }

  async locked(username: string): Promise<boolean> {
    return Number((await this.redis.get(this.key(username))) ?? 0) >= this.config.LOGIN_MAX_FAILURES;
  }

  /** Count a failure; true when the name is now locked. */
  async fail(username: string): Promise<boolean> {
    const key = this.key(username);
    const windowMs = this.config.LOCKOUT_MINUTES * 60_000;
    const n = await this.redis.incr(key);
    if (n === 1 || n >= this.config.LOGIN_MAX_FAILURES) await this.redis.pexpire(key, windowMs);
    return n >= this.config.LOGIN_MAX_FAILURES;
  }

  async clear(username: string): Promise<void> {
    await this.redis.del(this.key(username));
  }
}
