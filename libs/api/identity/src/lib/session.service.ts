import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor, OrgKind } from '@linggong/domain';
import { APP_CONFIG, REDIS, type AppConfig, type Redis } from '@linggong/api-core';

export interface SessionData {
  actor: Omit<Actor, 'origin' | 'sessionId'>;
  displayName: string;
  org: { id: string; kind: OrgKind; name: string; regionCode: string; status: 'active' | 'exiting' | 'exited' };
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  ip?: string;
  userAgent?: string;
}
export type SessionCheck = { ok: true; id: string; session: SessionData; expiresAt: number } | { ok: false; reason: 'missing' | 'expired' };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Sessions live in Redis (issue 2 §4): 30-minute idle and 12-hour absolute limits, checked on every
 * request against the stored timestamps (the key TTL only collects garbage). Only the token's SHA-256
 * is stored, so a Redis dump does not hand out live tokens.
 */
@Injectable()
export class SessionService {
  constructor(@Inject(REDIS) private readonly redis: Redis, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private key(id: string) { return `${this.config.REDIS_PREFIX}:sess:${id}`; }
  private userKey(userId: string) { return `${this.config.REDIS_PREFIX}:user-sess:${userId}`; }
  private get idleMs() { return this.config.SESSION_IDLE_MINUTES * 60_000; }
  private get absoluteMs() { return this.config.SESSION_ABSOLUTE_HOURS * 3_600_000; }

  expiryOf(s: SessionData): number {
    return Math.min(s.lastSeenAt + this.idleMs, s.createdAt + this.absoluteMs);
  }

  async create(data: Omit<SessionData, 'csrf' | 'createdAt' | 'lastSeenAt'>): Promise<{ token: string; id: string; session: SessionData; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const id = sha256(token);
    const now = Date.now();
    const session: SessionData = { ...data, csrf: randomBytes(24).toString('base64url'), createdAt: now, lastSeenAt: now };
    const expiresAt = this.expiryOf(session);
    await this.redis.multi()
      .set(this.key(id), JSON.stringify(session), 'PX', expiresAt - now)
      .sadd(this.userKey(data.actor.userId), id)
      .pexpire(this.userKey(data.actor.userId), this.absoluteMs)
      .exec();
    return { token, id, session, expiresAt };
  }

  /** Look a token up and slide its idle window. */
  async touch(token: string): Promise<SessionCheck> {
    const id = sha256(token);
    const raw = await this.redis.get(this.key(id));
    if (!raw) return { ok: false, reason: 'missing' };
    const session = JSON.parse(raw) as SessionData;
    const now = Date.now();
    if (now >= this.expiryOf(session)) {
      await this.revoke(id, session.actor.userId);
      return { ok: false, reason: 'expired' };
    }
    // Slide the idle window, writing at most every 15 s per session (a busy desk sends many requests a second).
    if (now - session.lastSeenAt > 15_000) {
      session.lastSeenAt = now;
      await this.redis.set(this.key(id), JSON.stringify(session), 'PX', Math.max(this.expiryOf(session) - now, 1), 'XX');
    }
    return { ok: true, id, session, expiresAt: this.expiryOf(session) };
  }

  async revoke(id: string, userId: string): Promise<void> {
    await this.redis.multi().del(this.key(id)).srem(this.userKey(userId), id).exec();
  }

  /** Sign a user out everywhere (revoke-all; also after role, market or status changes). */
  async revokeAll(userId: string): Promise<number> {
    const ids = await this.redis.smembers(this.userKey(userId));
    const m = this.redis.multi();
    for (const id of ids) m.del(this.key(id));
    m.del(this.userKey(userId));
    await m.exec();
    return ids.length;
  }

  /** Drop index entries whose session has expired (the session-cleanup job). */
  async cleanup(): Promise<{ sets: number; removed: number }> {
    let cursor = '0';
    let sets = 0;
    let removed = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.config.REDIS_PREFIX}:user-sess:*`, 'COUNT', 200);
      cursor = next;
      for (const k of keys) {
        sets++;
        const ids = await this.redis.smembers(k);
        if (ids.length === 0) continue;
        const alive = await Promise.all(ids.map((id) => this.redis.exists(this.key(id))));
        const dead = ids.filter((_, i) => alive[i] === 0);
        if (dead.length) {
          await this.redis.srem(k, ...dead);
          removed += dead.length;
        }
      }
    } while (cursor !== '0');
    return { sets, removed };
  }
}
