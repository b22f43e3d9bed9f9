import type { EntityManager } from 'typeorm';
import type { DrilldownDayItem, DrilldownMarketItem, DrilldownStaffItem, DrillSource } from '@linggong/domain';
import type { FoldedDay } from './analytics.service';

interface Scope { id: string; name: string }
export interface ListPage<T> { items: T[]; total: number; sum: number }

/**
 * Drill-downs of the day-based figures (issue 13 §3): the rolled-up sealed days of the period behind
 * work-log timeliness, late days and verification failures, read from `analytics_days` exactly as the
 * figures are (days with entries; of those, sealed late by the deadline job or not; verification
 * failures per day). Each item links to the market's day view.
 */
export async function dayItems(em: EntityManager, markets: Scope[], from: string, to: string, which: Extract<DrillSource, { type: 'days' }>['which'], page: number, pageSize: number): Promise<ListPage<DrilldownDayItem>> {
  const cond = { with_entries: 'entries > 0', on_time: 'entries > 0 AND NOT late', late: 'entries > 0 AND late', failures: 'verification_failures > 0' }[which];
  const where = `market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND ${cond}`;
  const ids = markets.map((m) => m.id);
  const [agg] = await em.query(`SELECT count(*)::int AS n, COALESCE(sum(verification_failures), 0)::int AS f FROM analytics_days WHERE ${where}`, [ids, from, to]);
  const rows: { market_id: string; day: string; sealed_at: Date | null; late: boolean; entries: number; verification_failures: number }[] = await em.query(
    `SELECT market_id, business_day AS day, sealed_at, late, entries, verification_failures FROM analytics_days
     WHERE ${where} ORDER BY business_day, market_id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`, [ids, from, to]);
  const names = new Map(markets.map((m) => [m.id, m.name]));
  return {
    total: agg.n, sum: which === 'failures' ? agg.f : agg.n,
    items: rows.map((r) => ({
      type: 'day', marketId: r.market_id, marketName: names.get(r.market_id) ?? '', businessDay: r.day, sealedAt: r.sealed_at ? new Date(r.sealed_at).toISOString() : null,
      late: r.late, entries: r.entries, verificationFailures: r.verification_failures, value: which === 'failures' ? r.verification_failures : 1, sealed: true,
    })),
  };
}

/**
 * Staff per market's numerator: the staff assigned to each market as of its latest rolled-up day (the
 * figure's own source: authorities cannot read assignments live), or of a live day where the market has
 * no rolled-up day yet. `staffNames` resolves display names through the tenancy context (RLS: an
 * authority sees none, and gets the id).
 */
export async function staffItems(em: EntityManager, markets: Scope[], live: { market: Scope; day: string; f: FoldedDay }[], page: number, pageSize: number,
  staffNames: (ids: string[]) => Promise<Map<string, string>>): Promise<ListPage<DrilldownStaffItem>> {
  const rows: { market_id: string; day: string; staff_ids: string[] }[] = await em.query(
    `SELECT DISTINCT ON (market_id) market_id, business_day AS day, staff_ids FROM analytics_days WHERE market_id = ANY($1::uuid[])
     ORDER BY market_id, business_day DESC`, [markets.map((m) => m.id)]);
  const of = new Map(rows.map((r) => [r.market_id, { day: r.day, ids: r.staff_ids.map(String) }]));
  for (const l of live) if (!of.has(l.market.id) && l.f.staffIds.length) of.set(l.market.id, { day: l.day, ids: l.f.staffIds });
  const names = new Map(markets.map((m) => [m.id, m.name]));
  const all = [...of].sort(([a], [b]) => a.localeCompare(b)).flatMap(([marketId, s]) => s.ids.map((userId) => ({ marketId, day: s.day, userId })));
  const slice = all.slice((page - 1) * pageSize, page * pageSize);
  const who = await staffNames([...new Set(slice.map((x) => x.userId))]);
  return {
    total: all.length, sum: all.length,
    items: slice.map((x) => ({ type: 'staff', marketId: x.marketId, marketName: names.get(x.marketId) ?? '', businessDay: x.day, userId: x.userId, staffName: who.get(x.userId) ?? '', value: 1 })),
  };
}

/** Staff per market's denominator: the markets in scope. */
export function marketItems(markets: Scope[], page: number, pageSize: number): ListPage<DrilldownMarketItem> {
  return {
    total: markets.length, sum: markets.length,
    items: markets.slice((page - 1) * pageSize, page * pageSize).map((m) => ({ type: 'market', marketId: m.id, marketName: m.name, value: 1 })),
  };
}
