import { Injectable, Logger } from '@nestjs/common';
import type { z } from 'zod';
import { AuditService } from '@linggong/api-audit';
import { Pii, TenantDb, isoOf, newId, queryRows, rowForChange, sortColumn } from '@linggong/api-core';
import { SYSTEM_ACTOR, WEBHOOK_ATTEMPTS, type Actor, type DeliveryView, type Page, type WebhookEvent, deliveryQuerySchema } from '@linggong/domain';
import { hmacHex } from './signing';
import { platformScope, type DeliveryRow, type PlatformRow } from './rows';

/** Work-log kinds behind the subscribable events. */
const LEDGER_EVENTS: Record<string, WebhookEvent> = { post_published: 'post.published', hire_started: 'hire.started' };
/**
 * A market the scan has not seen yet (a new platform, a market added to its set) is looked at once by time: entries
 * recorded since the platform's creation and the scan's time cursor less this overlap (a transaction that commits
 * late records an earlier time). From then on it is looked at by sequence, which misses nothing (`scan`).
 */
const OVERLAP_SECONDS = 30;
/** Entries per statement of a scan; the rest waits for the next scan (every 10 s). */
const SCAN_LIMIT = 1000;

type EntryRow = { market_id: string; seq: string; kind: string; recorded_at: Date; payload: Record<string, unknown> };

/**
 * Webhooks (issue 18 §4): the worker's scan turns the subscribed events of a platform's markets into deliveries
 * (one row per platform, event and event key — the delivery id never changes, so a receiver dedupes by it), and the
 * delivery job POSTs each, signed like a platform call (HMAC-SHA256 with the platform's secret over
 * `timestamp\ndeliveryId\nPOST\npath\nbody`), retried by BullMQ with exponential backoff; each attempt is logged on
 * the row (the console's delivery log).
 */
@Injectable()
export class WebhooksService {
  private readonly log = new Logger('Webhooks');
  constructor(private readonly db: TenantDb, private readonly pii: Pii, private readonly audit: AuditService) {}

  /**
   * New deliveries for every subscribed platform; returns the ids still pending (to enqueue).
   *
   * Exact by sequence: appends to one market's chain are serialised by the ledger head's row lock (taken until
   * commit), so a market's `seq` grows in commit order, and once the head reads N every entry up to N has committed.
   * Per platform and market, `webhook_seqs` keeps the seq up to which the scan has looked; each scan reads the heads
   * first, then the subscribed entries with `after < seq <= head` (an unnest of ids and bounds joined on the entries'
   * primary key (market_id, seq)), and moves each market to its head — past entries of kinds not subscribed, and
   * however long after its `recorded_at` an entry's transaction committed. A market not in the map yet is looked at
   * once by time (since the platform's creation and the time cursor less `OVERLAP_SECONDS`), up to its head, then by
   * sequence; a market taken out of the set leaves the map (added again, it starts over by time). The platform row is
   * locked (`FOR UPDATE SKIP LOCKED`): two scans at once never look at the same platform; the delivery's unique key
   * (platform, event, `market:seq`) keeps an entry to one delivery in any case.
   */
  scan(): Promise<string[]> {
    return this.db.run(SYSTEM_ACTOR, async (em) => {
      const platforms = await queryRows<PlatformRow>(em, `SELECT * FROM platforms WHERE status = 'active' AND webhook_url IS NOT NULL AND cardinality(webhook_events) > 0 FOR UPDATE SKIP LOCKED`);
      for (const p of platforms) {
        const kinds = Object.entries(LEDGER_EVENTS).filter(([, e]) => p.webhook_events.includes(e)).map(([k]) => k);
        let newest = p.webhook_cursor;
        const seen = p.webhook_seqs ?? {};
        const seqs: Record<string, number> = {};
        for (const m of p.market_ids) if (m in seen) seqs[m] = Number(seen[m]);
        if (kinds.length && p.market_ids.length) {
          const deliver = async (entries: EntryRow[]) => {
            for (const e of entries) {
              const event = LEDGER_EVENTS[e.kind];
              const data = e.kind === 'post_published' ? { postId: e.payload['postId'] } : { placementId: e.payload['placementId'], postId: e.payload['postId'] };
              await this.add(em, p, event, `${e.market_id}:${e.seq}`, { marketId: e.market_id, seq: Number(e.seq), occurredAt: isoOf(e.recorded_at), ...data });
              if (e.recorded_at > newest) newest = e.recorded_at;
            }
          };
          // The heads first: every entry up to a head's seq has committed (read before the entries, in its own statement).
          const heads = new Map((await em.query<{ market_id: string; last_seq: string }[]>(
            'SELECT market_id, last_seq FROM ledger_heads WHERE market_id = ANY($1::uuid[])', [p.market_ids])).map((h) => [h.market_id, Number(h.last_seq)]));
          const head = (m: string) => heads.get(m) ?? 0;

          // Markets seen before: by sequence, on the entries' primary key.
          const known = p.market_ids.filter((m) => m in seqs && head(m) > seqs[m]).sort();
          if (known.length) {
            const entries = await em.query<EntryRow[]>(
              `SELECT e.market_id, e.seq, e.kind, e.recorded_at, e.payload
               FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS c(market_id, after, upto)
               JOIN ledger_entries e ON e.market_id = c.market_id AND e.seq > c.after AND e.seq <= c.upto
               WHERE e.kind = ANY($4) ORDER BY e.market_id, e.seq LIMIT ${SCAN_LIMIT}`,
              [known, known.map((m) => seqs[m]), known.map(head), kinds]);
            await deliver(entries);
            // Looked at up to the head; with the limit reached, the last market up to its last entry read and those after it not at all.
            const cut = entries.length === SCAN_LIMIT ? entries[entries.length - 1] : null;
            for (const m of known) {
              if (!cut || m < cut.market_id) seqs[m] = head(m);
              else if (m === cut.market_id) seqs[m] = Number(cut.seq);
            }
          }

          // Markets not seen yet: by time, as a first look (up to the head read above), then by sequence.
          const fresh = p.market_ids.filter((m) => !(m in seqs));
          if (fresh.length) {
            const entries = await em.query<EntryRow[]>(
              `SELECT e.market_id, e.seq, e.kind, e.recorded_at, e.payload
               FROM unnest($1::uuid[], $2::bigint[]) AS c(market_id, upto)
               JOIN ledger_entries e ON e.market_id = c.market_id AND e.seq <= c.upto
               WHERE e.kind = ANY($3) AND e.recorded_at >= $4::timestamptz - make_interval(secs => $5) AND e.recorded_at >= $6
               ORDER BY e.recorded_at, e.market_id, e.seq LIMIT ${SCAN_LIMIT}`,
              [fresh, fresh.map(head), kinds, p.webhook_cursor, OVERLAP_SECONDS, p.created_at]);
            await deliver(entries);
            // With the limit reached the time cursor moves on and the next scan looks again (a delivery is added once).
            if (entries.length < SCAN_LIMIT) for (const m of fresh) seqs[m] = head(m);
          }
        }
        if (p.webhook_events.includes('report.accepted')) {
          const releases = await em.query<{ province_code: string; month: string; released_at: Date; digest: string }[]>(
            `SELECT province_code, month, released_at, digest FROM report_releases WHERE $1 LIKE province_code || '%' AND released_at >= $2`, [p.region_code, p.created_at]);
          for (const r of releases) await this.add(em, p, 'report.accepted', `${r.province_code}:${r.month}`, { provinceCode: r.province_code, month: r.month, digest: r.digest, acceptedAt: isoOf(r.released_at) });
        }
        // Without a work-log event subscribed, the markets keep where they were (kinds subscribed later start there).
        await em.query('UPDATE platforms SET webhook_cursor = $2, webhook_seqs = $3 WHERE id = $1', [p.id, newest, JSON.stringify(kinds.length ? seqs : seen)]);
      }
      return (await em.query<{ id: string }[]>(`SELECT id FROM webhook_deliveries WHERE status = 'pending' ORDER BY created_at LIMIT 5000`)).map((r) => r.id);
    });
  }

  private async add(em: import('typeorm').EntityManager, p: PlatformRow, event: WebhookEvent, key: string, data: Record<string, unknown>) {
    const id = newId();
    const payload = { id, event, platform: p.code, data };
    await em.query(
      `INSERT INTO webhook_deliveries (id, platform_id, event, event_key, url, payload) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform_id, event, event_key) DO NOTHING`,
      [id, p.id, event, key, p.webhook_url, JSON.stringify(payload)]);
  }

  /**
   * One attempt of one delivery. Delivered or failed rows are left alone (a job that runs again after a worker
   * restart sends nothing twice once delivered). Throws on a failed attempt so that BullMQ retries it; the last
   * attempt marks the row failed.
   */
  async deliver(id: string, attempt: number): Promise<'delivered' | 'skipped'> {
    const row = await this.db.run(SYSTEM_ACTOR, async (em) => (await queryRows<DeliveryRow & { secret_enc: string; region_code: string }>(em,
      `SELECT d.*, p.secret_enc, p.region_code FROM webhook_deliveries d JOIN platforms p ON p.id = d.platform_id WHERE d.id = $1`, [id]))[0]);
    if (!row || row.status !== 'pending') return 'skipped';
    const body = JSON.stringify(row.payload);
    const url = new URL(row.url);
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = hmacHex(this.pii.decrypt(row.secret_enc), `${ts}\n${id}\nPOST\n${url.pathname}${url.search}\n${body}`);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(10_000),
        headers: { 'content-type': 'application/json', 'x-linggong-delivery': id, 'x-linggong-event': row.event, 'x-linggong-timestamp': ts, 'x-linggong-signature': signature },
      });
      status = res.status;
      await res.body?.cancel();
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message.slice(0, 200);
    }
    const last = attempt >= WEBHOOK_ATTEMPTS;
    await this.db.run(SYSTEM_ACTOR, async (em) => {
      const outcome = error ? (last ? 'failed' : 'pending') : 'delivered';
      // Conditional on the state read: a concurrent run of the same delivery cannot count twice.
      const [, n] = await em.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, last_attempt_at = now(), status = $4,
           delivered_at = CASE WHEN $4 = 'delivered' THEN now() END WHERE id = $1 AND status = 'pending'`, [id, status, error, outcome]);
      if (n && outcome !== 'pending') {
        await this.audit.record(em, SYSTEM_ACTOR, { action: outcome === 'delivered' ? 'webhook.delivered' : 'webhook.failed', subjectType: 'Platform', subjectId: row.platform_id, regionCode: row.region_code, tenantId: null, summary: { deliveryId: id, event: row.event, status, attempts: row.attempts + 1 } });
      }
    });
    if (error) {
      this.log.warn(`webhook ${id} attempt ${attempt}: ${error}`);
      throw new Error(`webhook delivery ${id}: ${error}`);
    }
    return 'delivered';
  }

  /** The delivery log of one platform (console, list kit). */
  list(actor: Actor, platformId: string, q: z.infer<typeof deliveryQuerySchema>): Promise<Page<DeliveryView>> {
    return this.db.run(actor, async (em) => {
      await rowForChange<PlatformRow>(em, actor, 'read', 'Platform', 'platforms', platformId, platformScope);
      const { col, desc } = sortColumn({ createdAt: 'created_at', attempts: 'attempts', lastAttemptAt: 'last_attempt_at' }, q.sort, '-createdAt');
      const where = `platform_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR event = $3)`;
      const params = [platformId, q.status ?? null, q.event ?? null];
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE ${where}`, params);
      const rows = await queryRows<DeliveryRow>(em, `SELECT * FROM webhook_deliveries WHERE ${where} ORDER BY ${col} ${desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}, id LIMIT $4 OFFSET $5`,
        [...params, q.pageSize, (q.page - 1) * q.pageSize]);
      return {
        items: rows.map((r) => ({
          id: r.id, platformId: r.platform_id, event: r.event, eventKey: r.event_key, url: r.url, status: r.status, attempts: r.attempts,
          lastStatus: r.last_status, lastError: r.last_error, createdAt: isoOf(r.created_at), lastAttemptAt: isoOf(r.last_attempt_at), deliveredAt: isoOf(r.delivered_at),
        })),
        total: n, page: q.page, pageSize: q.pageSize,
      };
    });
  }
}
