import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig, TenantDb, type AppConfig } from '@linggong/api-core';
import { AnalyticsService, RankingService } from '@linggong/api-analytics';
import { RegionsService } from '@linggong/api-tenancy';
import type { Actor } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { demoId } from '../db/demo-seed';
import { addDays } from '../db/demo-activity';
import { BenchModule } from './module';
import { SLOT, benchDb, numArg, strArg, timed, pct, r1 } from './common';

/**
 * A profiler for the analytics dashboard calls over a kept `analytics` benchmark database (`--keep`): each call
 * timed, and every SQL statement it ran with its time (the TypeORM query runner wrapped). Not a benchmark.
 *
 *   LINGGONG_TEST_SLOT=2 node tools/bench/run.js profile-analytics [--full 13] [--iterations 5] [--only label-substring]
 */
export async function main(args: string[]): Promise<number> {
  const full = strArg(args, 'full', '41');
  const iterations = numArg(args, 'iterations', 5);
  const only = strArg(args, 'only', '');
  const DB = benchDb(strArg(args, 'db', 'linggong_bench_analytics'));
  const config: AppConfig = loadConfig({
    ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '4096', REDIS_PREFIX: `lgbench-analytics${SLOT}`,
    DATABASE_URL: `postgres://linggong_app@127.0.0.1:5432/${DB}`, DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:5432/${DB}`,
  });
  // Every statement's time, by its first 110 characters.
  const stats = new Map<string, number[]>();
  let recording = false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner');
  const orig = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = async function (this: unknown, q: string, p?: unknown[], s?: boolean) {
    const t = process.hrtime.bigint();
    try { return await orig.call(this, q, p, s); } finally {
      if (recording) {
        const key = q.replace(/\s+/g, ' ').trim().slice(0, 110);
        stats.set(key, [...(stats.get(key) ?? []), Number(process.hrtime.bigint() - t) / 1e6]);
      }
    }
  };
  const ctx = await NestFactory.createApplicationContext(BenchModule.forRoot(config), { logger: ['error', 'warn'] });
  const svc = ctx.get(AnalyticsService);
  const report = (label: string, ms: number, n: number) => {
    console.log(`\n== ${label}: ${r1(ms)} ms`);
    const rows = [...stats].map(([k, v]) => ({ k, n: v.length / n, total: v.reduce((s, x) => s + x, 0) / n })).sort((a, b) => b.total - a.total);
    for (const r of rows.slice(0, 30)) console.log(`  ${r1(r.total).toString().padStart(8)} ms  ×${r1(r.n)}  ${r.k}`);
  };
  if (args.includes('--fold')) {
    // `--db linggong_bench_analytics_raw --fold`: the raw rollup's database (a kept `--raw-only` run): every sealed day rolled afresh, per statement.
    const o = new DataSource({ type: 'postgres', url: config.DATABASE_OWNER_URL, installExtensions: false, extra: { max: 1 } });
    await o.initialize();
    await o.query('TRUNCATE analytics_facts, analytics_subject_days, analytics_days, analytics_region_days, analytics_region_periods, analytics_region_months, analytics_region_month_facts');
    const [{ days }] = await o.query('SELECT count(DISTINCT (market_id, business_day))::int AS days FROM ledger_seals');
    await o.destroy();
    const today = shanghaiDay(new Date());
    recording = true;
    const cpu0 = process.cpuUsage();
    const [ms, res] = await timed(() => svc.rollupRange({ marketIds: null, from: addDays(today, -400), to: addDays(today, -1), onlyStale: false }));
    recording = false;
    const cpu = process.cpuUsage(cpu0);
    report(`rollupRange ${res.rolled} market-days (of ${days}), per market-day: ${r1(ms / res.rolled)} ms wall, Node CPU ${r1((cpu.user + cpu.system) / 1000 / res.rolled)} ms`, ms, res.rolled);
    await ctx.close();
    return 0;
  }
  const owner = new DataSource({ type: 'postgres', url: config.DATABASE_OWNER_URL, installExtensions: false, extra: { max: 2 } });
  await owner.initialize();
  const [county] = await owner.query(`SELECT region_code AS code, count(*)::int AS n FROM markets WHERE region_code LIKE $1 || '%' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`, [full]);
  const [org] = await owner.query(`SELECT id FROM organisations WHERE kind = 'province' AND region_code = $1`, [full]);
  await owner.destroy();
  const province: Actor = { userId: demoId('user:province.auditor'), username: 'province.auditor', orgId: org?.id ?? demoId('henan'), orgKind: 'province', regionPrefix: full, marketIds: [], roles: ['province_auditor'] };
  const reviewer: Actor = { userId: demoId('user:county.reviewer'), username: 'county.reviewer', orgId: demoId('zhongmu'), orgKind: 'county', regionPrefix: county.code, marketIds: [], roles: ['county_reviewer'] };
  const ranking = new RankingService(ctx.get(TenantDb), svc, new RegionsService(ctx.get(TenantDb)), null as never);
  const yesterday = addDays(shanghaiDay(new Date()), -1);
  const calls: { label: string; run: () => Promise<unknown> }[] = [
    { label: 'province 30 days', run: () => svc.kpis(province, { regionCode: full, from: addDays(yesterday, -29), to: yesterday } as never) },
    { label: 'province custom 2-46', run: () => svc.kpis(province, { regionCode: full, from: addDays(yesterday, -45), to: addDays(yesterday, -1) } as never) },
    { label: `county ${county.code} (${county.n}) ranking by market 30`, run: () => ranking.ranking(reviewer, { groupBy: 'market', from: addDays(yesterday, -29), to: yesterday } as never) },
    { label: `county ${county.code} custom 2-46`, run: () => svc.kpis(reviewer, { regionCode: county.code, from: addDays(yesterday, -45), to: addDays(yesterday, -1) } as never) },
    { label: 'province ranking by city 30', run: () => ranking.ranking(province, { groupBy: 'region', regionLevel: 'city', from: addDays(yesterday, -29), to: yesterday } as never) },
    { label: 'drill province check-ins quarter p1', run: () => svc.drilldown(province, { kpi: 'service_visits', part: 'value', regionCode: full, from: addDays(yesterday, -89), to: yesterday, page: 1, pageSize: 50 } as never) },
    { label: 'drill province check-ins quarter p2000', run: () => svc.drilldown(province, { kpi: 'service_visits', part: 'value', regionCode: full, from: addDays(yesterday, -89), to: yesterday, page: 2000, pageSize: 50 } as never) },
    { label: 'drill province seekers 30 p1', run: () => svc.drilldown(province, { kpi: 'demand_supply_ratio', part: 'denominator', regionCode: full, from: addDays(yesterday, -29), to: yesterday, page: 1, pageSize: 50 } as never) },
    { label: 'drill province seekers 30 p600', run: () => svc.drilldown(province, { kpi: 'demand_supply_ratio', part: 'denominator', regionCode: full, from: addDays(yesterday, -29), to: yesterday, page: 600, pageSize: 50 } as never) },
  ];
  for (const c of calls) {
    if (only && !c.label.includes(only)) continue;
    await c.run();
    stats.clear();
    recording = true;
    const xs: number[] = [];
    let out: unknown;
    for (let i = 0; i < iterations; i++) { const [ms, r] = await timed(c.run); xs.push(ms); out = r; }
    recording = false;
    xs.sort((a, b) => a - b);
    console.log(`\n== ${c.label}: p50 ${r1(pct(xs, 50))} ms, max ${r1(xs[xs.length - 1])} ms (${iterations} calls)`);
    const rows = [...stats].map(([k, v]) => ({ k, n: v.length / iterations, total: v.reduce((s, x) => s + x, 0) / iterations })).sort((a, b) => b.total - a.total);
    for (const r of rows.slice(0, 14)) console.log(`  ${r1(r.total).toString().padStart(8)} ms  ×${r1(r.n)}  ${r.k}`);
    if (args.includes('--print')) console.log(JSON.stringify(out).slice(0, 3000));
  }
  await ctx.close();
  return 0;
}
