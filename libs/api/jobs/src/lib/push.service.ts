import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, publicActor, type Actor, type PushLinkView, type PushPageView } from '@linggong/domain';
import { APP_CONFIG, Pii, ProblemException, SHANGHAI_TODAY_SQL as TODAY, TenantDb, assertAccess, lockKey, newId, notFound, queryRows, type AppConfig } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { BOARD_OPEN, BOARD_SELECT, boardView, type BoardRow } from './board-view';

/** One message for one worker, as a channel receives it. */
export interface PushMessage {
  tenantId: string; regionCode: string; workerId: string; mobileMasked: string; purpose: 'job_push' | 'push_link'; body: string;
  postId?: string;
}

/**
 * The SMS side of job push (issue 18 §2): the seam a gateway plugs into. `send` runs in the push's transaction,
 * so an adapter that only records (the outbox) is atomic with the delivery row; a real gateway adapter would read
 * the outbox after commit and decrypt the number from the worker's row at send time.
 */
export interface SmsAdapter {
  readonly name: 'outbox' | 'off';
  send(em: EntityManager, msg: PushMessage): Promise<boolean>;
}
export const SMS_ADAPTER = Symbol('SMS_ADAPTER');

/**
 * The SMS adapter of this deployment: **no gateway is connected**. Each message is written to `sms_outbox`
 * (masked number, text, status `queued`) and to the log — what a gateway would send, for the desk to see and for
 * a gateway adapter to pick up. Selected by `PUSH_SMS_ADAPTER=outbox` (the default).
 */
@Injectable()
export class OutboxSmsAdapter implements SmsAdapter {
  readonly name = 'outbox' as const;
  private readonly log = new Logger('SmsOutbox');
  async send(em: EntityManager, msg: PushMessage): Promise<boolean> {
    await em.query(`INSERT INTO sms_outbox (id, tenant_id, region_code, worker_id, mobile_masked, purpose, body) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [newId(), msg.tenantId, msg.regionCode, msg.workerId, msg.mobileMasked, msg.purpose, msg.body]);
    this.log.log(`queued ${msg.purpose} SMS for ${msg.mobileMasked} (no gateway connected)`);
    return true;
  }
}

/** `PUSH_SMS_ADAPTER=off`: no SMS at all; the worker's page (the in-app inbox) still gets every push. */
export class NoSmsAdapter implements SmsAdapter {
  readonly name = 'off' as const;
  async send(): Promise<boolean> {
    return false;
  }
}

export const smsAdapterProvider = {
  provide: SMS_ADAPTER, inject: [APP_CONFIG],
  useFactory: (config: AppConfig): SmsAdapter => (config.PUSH_SMS_ADAPTER === 'outbox' ? new OutboxSmsAdapter() : new NoSmsAdapter()),
};

/** The worker's own page: `/w/<token>`; the token is the worker id and a keyed HMAC of it (no table, no expiry; unsubscribe ends the pushes). */
export const PUSH_PAGE_PATH = '/w/';

/**
 * Job push (推送, issue 18 §2; R-G11). When a post is published the worker's `push-post` job calls `deliverPost`:
 * every active worker who opted in, in the post's county, who does its occupation, gets it in the in-app inbox (their
 * page) and by SMS (the adapter), at most `PUSH_MAX_PER_WORKER_PER_DAY` posts a day — over that, a `limited` row
 * records what was held back. One delivery per worker, post and channel (unique), so a retried job sends nothing twice.
 */
@Injectable()
export class PushService {
  private readonly log = new Logger('PushService');
  constructor(
    private readonly db: TenantDb, private readonly registry: RegistryDirectoryService, private readonly pii: Pii, private readonly audit: AuditService,
    @Inject(SMS_ADAPTER) private readonly sms: SmsAdapter, @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  token(workerId: string): string {
    return `${workerId}.${this.sig(workerId)}`;
  }

  private sig(workerId: string): string {
    return this.pii.index('push-link', workerId).slice(0, 32);
  }

  /** The worker id a page token stands for, or 404 (a wrong token looks like an unknown one). */
  private workerOf(token: string): string {
    const m = /^([0-9a-f-]{36})\.([0-9a-f]{32})$/.exec(token);
    if (!m) throw notFound();
    const want = Buffer.from(this.sig(m[1]));
    if (!timingSafeEqual(want, Buffer.from(m[2]))) throw notFound();
    return m[1];
  }

  /** Deliver a newly published post to the workers it matches. Idempotent; returns what happened. */
  async deliverPost(postId: string): Promise<{ delivered: number; limited: number; sms: number }> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const [p] = await queryRows<BoardRow>(em, `${BOARD_SELECT} WHERE p.id = $1 AND ${BOARD_OPEN}`, [postId]);
      const out = { delivered: 0, limited: 0, sms: 0 };
      if (!p) return out;
      const [{ day }] = await em.query<{ day: string }[]>(`SELECT ${TODAY} AS day`);
      for (const w of await this.registry.jobPushSubscribers(em, p.region_code, p.occupation)) {
        // One worker's deliveries at a time, so the daily count and the cap hold under parallel jobs.
        await lockKey(em, `push:${w.id}`);
        const [seen] = await em.query(`SELECT 1 FROM job_push_deliveries WHERE worker_id = $1 AND post_id = $2 AND channel = 'inbox'`, [w.id, postId]);
        if (seen) continue;
        const [{ n }] = await em.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM job_push_deliveries WHERE worker_id = $1 AND day = $2 AND channel = 'inbox' AND status = 'delivered'`, [w.id, day]);
        const status = n >= this.config.PUSH_MAX_PER_WORKER_PER_DAY ? 'limited' : 'delivered';
        const row = (channel: 'inbox' | 'sms') => em.query(
          `INSERT INTO job_push_deliveries (id, tenant_id, region_code, worker_id, post_id, channel, status, day) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (worker_id, post_id, channel) DO NOTHING`, [newId(), w.tenantId, w.regionCode, w.id, postId, channel, status, day]);
        await row('inbox');
        if (status === 'limited') {
          out.limited++;
          continue;
        }
        out.delivered++;
        const wage = `${(p.wage_fen / 100).toFixed(p.wage_fen % 100 ? 2 : 0)}元/${UNIT[p.wage_unit] ?? p.wage_unit}`;
        const sent = await this.sms.send(em, {
          tenantId: w.tenantId, regionCode: w.regionCode, workerId: w.id, mobileMasked: w.mobileMasked, purpose: 'job_push', postId,
          body: `【零工市场】新岗位：${p.title}（${p.occupation}，${wage}），${p.market_name}。详见 ${PUSH_PAGE_PATH}${this.token(w.id)} 退订点页面“不再接收”`,
        });
        if (sent) {
          await row('sms');
          out.sms++;
        }
      }
      if (out.delivered || out.limited) this.log.log(`post ${postId}: pushed to ${out.delivered}, held back ${out.limited} (daily cap)`);
      return out;
    });
  }

  /** The page's link by SMS to a worker who just opted in (in the caller's transaction). */
  async sendLink(em: EntityManager, workerId: string): Promise<void> {
    const w = await this.registry.jobPushState(em, workerId);
    if (!w) return;
    await this.sms.send(em, {
      tenantId: w.tenantId, regionCode: w.regionCode, workerId, mobileMasked: w.mobileMasked, purpose: 'push_link',
      body: `【零工市场】您已订阅岗位推送，新岗位会出现在 ${PUSH_PAGE_PATH}${this.token(workerId)}，每天最多 ${this.config.PUSH_MAX_PER_WORKER_PER_DAY} 条，可随时退订`,
    });
  }

  /** The worker's page: their pushed posts still open, newest first (read as the platform; the token names the one worker). */
  page(token: string): Promise<PushPageView> {
    const workerId = this.workerOf(token);
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const w = await this.registry.jobPushState(em, workerId);
      if (!w) throw notFound();
      const rows = await queryRows<BoardRow & { pushed_at: Date }>(em,
        `${BOARD_SELECT.replace('SELECT p.id,', 'SELECT d.created_at AS pushed_at, p.id,')} JOIN job_push_deliveries d ON d.post_id = p.id
         WHERE d.worker_id = $1 AND d.channel = 'inbox' AND d.status = 'delivered' AND ${BOARD_OPEN} ORDER BY d.created_at DESC, p.id LIMIT 50`, [workerId]);
      return {
        workerName: w.name.slice(0, 1) + '*'.repeat(Math.max(1, w.name.length - 1)), subscribed: w.jobPush, occupations: w.occupations, regionCode: w.regionCode,
        dailyLimit: this.config.PUSH_MAX_PER_WORKER_PER_DAY,
        items: rows.map((r) => ({ ...boardView(r), pushedAt: r.pushed_at.toISOString() })),
      };
    });
  }

  /** One click from the page: no more pushes. Repeats are no-ops (the UPDATE only changes a subscribed row). */
  async unsubscribe(token: string): Promise<{ subscribed: false }> {
    const workerId = this.workerOf(token);
    const w = await this.db.run(SYSTEM_ACTOR, (em) => this.registry.jobPushState(em, workerId));
    if (!w) throw notFound();
    return this.db.run(publicActor(w.tenantId, w.marketId), async (em) => {
      if (await this.registry.setJobPush(em, workerId, false)) {
        await this.audit.record(em, publicActor(w.tenantId, w.marketId), { action: 'push.unsubscribe', subjectType: 'Worker', subjectId: workerId, tenantId: w.tenantId, regionCode: w.regionCode, summary: { via: 'page' } });
      }
      return { subscribed: false as const };
    });
  }

  /** Staff: the worker's page link, to show as a QR at the desk or send by SMS (`send`). */
  link(actor: Actor, workerId: string, send: boolean): Promise<PushLinkView> {
    return this.db.run(actor, async (em) => {
      const w = await this.registry.jobPushState(em, workerId);
      if (!w) throw notFound();
      const scope = { marketId: w.marketId, tenantId: w.tenantId, regionCode: w.regionCode };
      assertAccess(actor, 'read', 'Worker', scope);
      if (send) {
        assertAccess(actor, 'create', 'Worker', scope);
        if (!w.jobPush) throw new ProblemException(409, 'push_not_subscribed');
        // A double click sends one SMS: the worker's sends queue here, and one from the last minute stands.
        await lockKey(em, `push-link:${workerId}`);
        const [recent] = await em.query(`SELECT 1 FROM sms_outbox WHERE worker_id = $1 AND purpose = 'push_link' AND created_at > now() - interval '1 minute'`, [workerId]);
        if (!recent) await this.sendLink(em, workerId);
      }
      await this.audit.record(em, actor, { action: 'push.link', subjectType: 'Worker', subjectId: workerId, tenantId: w.tenantId, regionCode: w.regionCode, summary: { sent: send } });
      return { workerId, subscribed: w.jobPush, path: `${PUSH_PAGE_PATH}${this.token(workerId)}` };
    });
  }
}

const UNIT: Record<string, string> = { hour: '小时', day: '天', piece: '件', month: '月' };
