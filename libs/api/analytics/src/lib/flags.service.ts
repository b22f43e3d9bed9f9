import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  FLAG_RULES, FLAG_THRESHOLDS as T, spikesOf,
  type Actor, type FlagCode, type FlagEvidence, type FlagSeverity, type FlagsQuery, type FlagsResult, type MarketFlag,
} from '@linggong/domain';
import { TenantDb } from '@linggong/api-core';
import { LedgerService } from '@linggong/api-ledger';
import { ComplaintBoardService } from '@linggong/api-complaints';
import { OrganisationsService } from '@linggong/api-tenancy';
import { shanghaiDay } from '@linggong/ledger-chain';
import { AnalyticsService } from './analytics.service';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const ORDER: FlagCode[] = FLAG_RULES.map((r) => r.code);

/**
 * `analytics_flags` (issue 13 §4): per market of a scope, the red flags of a period — days with
 * entries no seal covers (ledger `daysToCloseOf`), days sealed late (rollups), verification failures (ledger alerts),
 * complaints open past their deadline now (complaints' board service), non-payment reports and a low
 * settlement rate (rollups), and a day far above the market's own history (rollups). The rules and
 * thresholds are `FLAG_RULES` / `FLAG_THRESHOLDS` in libs/domain.
 */
@Injectable()
export class FlagsService {
  constructor(
    private readonly db: TenantDb, private readonly analytics: AnalyticsService, private readonly ledger: LedgerService,
    private readonly complaints: ComplaintBoardService, private readonly orgs: OrganisationsService,
  ) {}

  /** `now` is the clock (tests move it to see a day go unsealed past its deadline). */
  flags(actor: Actor, q: FlagsQuery, now = new Date()): Promise<FlagsResult> {
    return this.db.run(actor, async (em) => {
      const markets = await this.analytics.scopeMarkets(em, actor, q);
      const ids = markets.map((m) => m.id);
      const operators = await this.operatorNames(em, [...new Set(markets.map((m) => m.tenantId))]);
      const out: MarketFlag[] = [];
      const flag = (m: (typeof markets)[number], code: FlagCode, severity: FlagSeverity, value: number, threshold: number | null, days: string[], zh: string, en: string, evidence: FlagEvidence) => {
        out.push({
          code, severity, marketId: m.id, marketName: m.name, operatorId: m.tenantId, operatorName: operators.get(m.tenantId) ?? null, regionCode: m.regionCode,
          value, threshold, days: days.slice(0, 31), zh, en, evidence,
        });
      };
      const drill = (m: { id: string }, kpi: string, part: 'value' | 'numerator' | 'denominator', from = q.from, to = q.to): FlagEvidence =>
        ({ type: 'drilldown', kpi, part, marketId: m.id, from, to });

      // Days before yesterday with entries not sealed: the deadline job seals yesterday at the close hour, so these are missed.
      const lastDue = addDays(shanghaiDay(now), -2);
      const byDay = <T extends { marketId: string }>(rows: T[]) => {
        const g = new Map<string, T[]>();
        for (const r of rows) g.set(r.marketId, [...(g.get(r.marketId) ?? []), r]);
        return g;
      };
      const alerts = byDay(await this.ledger.alertsIn(em, ids, q.from, q.to));
      const days: { market_id: string; day: string; late: boolean; entries: number }[] = await em.query(
        `SELECT market_id, business_day AS day, late, entries FROM analytics_days
         WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND entries > 0 ORDER BY business_day DESC`, [ids, q.from, q.to]);
      const sums: { market_id: string; metric: string; v: string }[] = await em.query(
        `SELECT market_id, metric, sum(value) AS v FROM analytics_facts WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3
           AND metric IN ('hires_started', 'settlements', 'non_payment_reports') GROUP BY 1, 2`, [ids, q.from, q.to]);
      const daily: { market_id: string; metric: string; day: string; v: string }[] = await em.query(
        `SELECT market_id, metric, business_day AS day, sum(value) AS v FROM analytics_facts
         WHERE market_id = ANY($1::uuid[]) AND business_day BETWEEN $2 AND $3 AND metric IN ('check_ins', 'hires_started') GROUP BY 1, 2, 3`,
        [ids, addDays(q.from, -T.spikeHistoryDays), q.to]);
      const overdue = await this.complaints.overdueByMarket(em, ids);
      // Days through lastDue with entries no seal covers (a day never closed, or closed early with later entries
      // waiting for their supplementary seal, issue 17 §1): one query for the scope.
      const toClose = q.from <= lastDue ? await this.ledger.daysToCloseOf(em, ids, q.from, q.to < lastDue ? q.to : lastDue) : new Map<string, string[]>();

      for (const m of markets) {
        const missing = [...(toClose.get(m.id) ?? [])].sort().reverse();
        if (missing.length) {
          flag(m, 'seal_missing', 'high', missing.length, null, missing,
            `${missing.length} 个有记录的营业日未日结（最近 ${missing[0]}）`, `${missing.length} business day(s) with entries not sealed (latest ${missing[0]})`,
            { type: 'day', marketId: m.id, day: missing[0] });
        }
        const mine = days.filter((d) => d.market_id === m.id);
        const late = mine.filter((d) => d.late).map((d) => d.day);
        if (late.length) {
          const share = late.length / mine.length;
          flag(m, 'seal_late', share >= T.lateHighShare ? 'high' : 'medium', late.length, mine.length, late,
            `${mine.length} 个有记录的营业日中 ${late.length} 个逾期日结（${Math.round(share * 100)}%，最近 ${late[0]}）`,
            `${late.length} of ${mine.length} days with entries sealed late (${Math.round(share * 100)}%, latest ${late[0]})`,
            { type: 'day', marketId: m.id, day: late[0] });
        }
        const broken = [...new Set((alerts.get(m.id) ?? []).map((a) => a.businessDay))];
        if (broken.length) {
          flag(m, 'chain_broken', 'high', broken.length, null, broken,
            `${broken.length} 天台账校验失败（最近 ${broken[0]}）`, `${broken.length} day(s) failed verification (latest ${broken[0]})`,
            { type: 'day', marketId: m.id, day: broken[0] });
        }
        const o = overdue.get(m.id);
        if (o) {
          flag(m, 'complaints_overdue', o.overdue >= T.overdueHigh ? 'high' : 'medium', o.overdue, null, [],
            `${o.overdue} 件投诉超期未办结（最早期限 ${o.oldestDue}）`, `${o.overdue} complaint(s) open past their deadline (oldest due ${o.oldestDue})`,
            { type: 'complaints', marketId: m.id });
        }
        const sum = (metric: string) => Number(sums.find((s) => s.market_id === m.id && s.metric === metric)?.v ?? 0);
        const started = sum('hires_started');
        const reports = sum('non_payment_reports');
        if (reports > 0) {
          const per100 = started ? Math.round((reports / started) * 10000) / 100 : null;
          flag(m, 'non_payment', per100 === null || per100 >= T.nonPaymentHighPer100 ? 'high' : 'medium', reports, per100, [],
            `${reports} 件欠薪报告${per100 === null ? '' : `（每百人次上岗 ${per100} 件）`}`, `${reports} non-payment report(s)${per100 === null ? '' : ` (${per100} per 100 hires started)`}`,
            drill(m, 'non_payment_per_100', 'numerator'));
        }
        if (started >= T.settlementMinHires) {
          const rate = Math.round((sum('settlements') / started) * 10000) / 100;
          if (rate < T.settlementLow) {
            flag(m, 'low_settlement', rate < T.settlementHigh ? 'high' : 'medium', rate, T.settlementLow, [],
              `日结率 ${rate}%（${started} 人次上岗，低于 ${T.settlementLow}%）`, `Settlement rate ${rate}% (${started} hires started; below ${T.settlementLow}%)`,
              drill(m, 'settlement_rate', 'denominator'));
          }
        }
        for (const [metric, kpi, zh, en] of [['check_ins', 'service_visits', '签到', 'check-ins'], ['hires_started', 'hires_started', '上岗', 'hires started']] as const) {
          const series = new Map(daily.filter((d) => d.market_id === m.id && d.metric === metric && Number(d.v) > 0).map((d) => [d.day, Number(d.v)]));
          const spikes = spikesOf(series, q.from, q.to).sort((a, b) => b.value / b.median - a.value / a.median);
          if (!spikes.length) continue;
          const s = spikes[0];
          flag(m, 'spike', 'high', s.value, s.median, spikes.map((x) => x.day),
            `${s.day} ${zh} ${s.value} 人次，为此前 ${T.spikeHistoryDays} 天中位数 ${s.median} 的 ${(s.value / s.median).toFixed(1)} 倍${spikes.length > 1 ? `（另有 ${spikes.length - 1} 天）` : ''}`,
            `${s.day}: ${s.value} ${en}, ${(s.value / s.median).toFixed(1)} × the median ${s.median} of the previous ${T.spikeHistoryDays} days${spikes.length > 1 ? ` (and ${spikes.length - 1} more day(s))` : ''}`,
            drill(m, kpi, 'value', s.day, s.day));
        }
      }
      const rank = (f: MarketFlag) => (f.severity === 'high' ? 0 : 1);
      out.sort((a, b) => rank(a) - rank(b) || a.marketName.localeCompare(b.marketName, 'zh-CN') || ORDER.indexOf(a.code) - ORDER.indexOf(b.code));
      return { from: q.from, to: q.to, markets: markets.length, flags: out };
    });
  }

  /** Operators' display names, through tenancy's service (as the ranking reads them). */
  private async operatorNames(em: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of ids) {
      const o = await this.orgs.findVisible(em, id);
      if (o) out.set(id, o.name);
    }
    return out;
  }
}
