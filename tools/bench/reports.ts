import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { TenantDb, loadConfig, type AppConfig } from '@linggong/api-core';
import { AnalyticsService, FOLD_VERSION, REBUILD_REGION_DAYS } from '@linggong/api-analytics';
import { AuditModule } from '@linggong/api-audit';
import { RegionsService } from '@linggong/api-tenancy';
import { ReportsService } from '@linggong/api-reports';
import { monthRange, type Actor } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { reset } from '../db/db';
import { demoId } from '../db/demo-seed';
import { BenchModule } from './module';
import { SLOT, adminDataSource, benchDb, dropBenchDb, flag, numArg, pct } from './common';

/**
 * Benchmark `reports` (issue 14): the monthly supply–demand report of a province of 1,000 markets from
 * generated rollups, ≤ 10 s. The demo (90 sealed days, rolled up) gives the templates; 1,000 markets are
 * spread over Henan's counties (41xxxx) with every day of the last complete month and the month before
 * copied from the demo's rolled-up days (facts with all the report's dimensions, subject days with a
 * per-market worker id so distinct counts stay realistic), the region pre-aggregates rebuilt; then the
 * real `ReportsService.figures` as the province auditor, in a transaction scoped for RLS by TenantDb:
 * p50 / p95 / max over `--iterations` after one warm-up. Database `linggong_bench_reports` (`--keep`).
 */
const arg = numArg;
const DB = benchDb('linggong_bench_reports');

export async function main(args: string[]): Promise<number> {
  const markets = arg(args, 'markets', 1000);
  const iterations = arg(args, 'iterations', 5);
  const config: AppConfig = loadConfig({
    ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '4096', REDIS_PREFIX: `lgbench-reports${SLOT}`,
    DATABASE_URL: `postgres://linggong_app@127.0.0.1:5432/${DB}`, DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:5432/${DB}`,
  });
  const today = shanghaiDay(new Date());
  const thisMonth = today.slice(0, 7);
  const month = monthRange(`${thisMonth}`).from;
  const last = new Date(`${month}T00:00:00Z`);
  last.setUTCMonth(last.getUTCMonth() - 1);
  const reportMonth = last.toISOString().slice(0, 7);
  const { from, to } = monthRange(reportMonth);
  const t0 = Date.now();
  const log = console.log;
  console.log = () => undefined;
  try { await reset(config, { activity: 'full' }); } finally { console.log = log; }
  const ctx = await NestFactory.createApplicationContext(BenchModule.forRoot(config, { imports: [AuditModule], providers: [RegionsService, ReportsService] }), { logger: ['error', 'warn'] });
  await ctx.get(AnalyticsService).catchUp(400);
  console.log(`${DB}: demo seeded and rolled up (${((Date.now() - t0) / 1000).toFixed(0)} s); generating ${markets} markets in Henan for ${from}…${to} and the month before`);
  const gen = await adminDataSource(config, DB);
  await gen.query('SET session_replication_role = replica');
  await gen.query(`CREATE TEMP TABLE bench_markets AS
    WITH c AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n FROM regions WHERE level = 'county' AND code LIKE '41%')
    SELECT md5('bench-market:' || g)::uuid AS id, md5('bench-op:' || (g / 5))::uuid AS tenant_id, c.code AS region_code, g
    FROM generate_series(0, $1::int - 1) g JOIN c ON c.i = g % c.n`, [markets]);
  await gen.query(`INSERT INTO organisations (id, kind, name, region_code, status)
    SELECT DISTINCT ON (tenant_id) tenant_id, 'operator', '基准运营机构' || (g / 5), region_code, 'active' FROM bench_markets ORDER BY tenant_id, g`);
  await gen.query(`INSERT INTO markets (id, tenant_id, region_code, name, type, nature, mode, status, occupations)
    SELECT id, tenant_id, region_code, '基准零工市场' || g, 'comprehensive', 'public', 'contracted', 'open', '{}' FROM bench_markets`);
  await gen.query(`INSERT INTO ledger_heads (market_id, last_seq, last_hash, sealed_through) SELECT id, 0, repeat('0', 64), $1::date - 1 FROM bench_markets`, [today]);
  await gen.query(`CREATE TEMP TABLE tpl_days AS
    SELECT market_id AS tm, business_day AS td, (row_number() OVER (PARTITION BY market_id ORDER BY business_day) - 1)::int AS k,
      (dense_rank() OVER (ORDER BY market_id) - 1)::int AS mi FROM analytics_days`);
  const [{ tdays, tmarkets }] = await gen.query('SELECT count(DISTINCT k)::int AS tdays, count(DISTINCT mi)::int AS tmarkets FROM tpl_days');
  const startDay = new Date(`${from}T00:00:00Z`);
  startDay.setUTCMonth(startDay.getUTCMonth() - 1);
  await gen.query(`CREATE TEMP TABLE bench_days AS
    SELECT b.id, b.tenant_id, b.region_code, d::date AS day, (b.g % $3)::int AS mi, ((extract(doy FROM d)::int + b.g) % $4)::int AS k
    FROM bench_markets b CROSS JOIN generate_series($1::date, $2::date, '1 day') d`, [startDay.toISOString().slice(0, 10), to, tmarkets, tdays]);
  await gen.query('CREATE INDEX ON bench_days (mi, k)');
  await gen.query(`INSERT INTO analytics_days (market_id, business_day, tenant_id, region_code, entries, late, verification_failures, staff, correction_seq, fold_version)
    SELECT b.id, b.day, b.tenant_id, b.region_code, a.entries, a.late, a.verification_failures, a.staff, 0, ${FOLD_VERSION} FROM bench_days b JOIN tpl_days t USING (mi, k)
    JOIN analytics_days a ON a.market_id = t.tm AND a.business_day = t.td`);
  await gen.query(`INSERT INTO analytics_facts (market_id, business_day, cohort_day, metric, occupation, industry, gender, age_band, bucket, tenant_id, region_code, n, value, seqs, vals, employer_industry, work_period)
    SELECT b.id, b.day, b.day - (f.business_day - f.cohort_day), f.metric, f.occupation, f.industry, f.gender, f.age_band,
      -- An open-demand row's bucket is its post's expiry day: moved with the day, as the cohort day is.
      CASE WHEN f.metric = 'demand_open' THEN f.bucket + (b.day - f.business_day) ELSE f.bucket END, b.tenant_id, b.region_code, f.n, f.value, f.seqs, f.vals, f.employer_industry, f.work_period
    FROM bench_days b JOIN tpl_days t USING (mi, k) JOIN analytics_facts f ON f.market_id = t.tm AND f.business_day = t.td`);
  await gen.query(`INSERT INTO analytics_subject_days (market_id, business_day, role, worker_id, tenant_id, region_code, first_seq, occupation, gender, age_band)
    SELECT b.id, b.day, s.role, md5(b.id::text || s.worker_id::text)::uuid, b.tenant_id, b.region_code, s.first_seq, s.occupation, s.gender, s.age_band
    FROM bench_days b JOIN tpl_days t USING (mi, k) JOIN analytics_subject_days s ON s.market_id = t.tm AND s.business_day = t.td`);
  for (const t of ['analytics_facts', 'analytics_subject_days', 'analytics_days', 'markets']) await gen.query(`VACUUM ANALYZE ${t}`);
  await gen.query(REBUILD_REGION_DAYS);
  await gen.destroy();
  const tr = Date.now();
  const refreshed = await ctx.get(AnalyticsService).refreshRegionPeriods(shanghaiDay(new Date(Date.now() - 86_400_000)));
  const tm = Date.now();
  await ctx.get(AnalyticsService).refreshRegionMonths(from);
  console.log(`  nightly refresh: standard periods and months ${refreshed.months.join(', ')} in ${((tm - tr) / 1000).toFixed(1)} s; the report month's stored seekers alone ${((Date.now() - tm) / 1000).toFixed(1)} s`);
  const owner = new DataSource({ type: 'postgres', url: config.DATABASE_OWNER_URL, installExtensions: false, extra: { max: 1 } });
  await owner.initialize();
  const [sizes] = await owner.query(`SELECT (SELECT count(*) FROM markets WHERE region_code LIKE '41%')::int AS markets,
    (SELECT count(*) FROM analytics_facts WHERE business_day BETWEEN $1 AND $2 AND region_code LIKE '41%')::bigint AS facts,
    (SELECT count(*) FROM analytics_subject_days WHERE business_day BETWEEN $1 AND $2 AND region_code LIKE '41%')::bigint AS subjects`, [from, to]);
  await owner.destroy();
  console.log(`  Henan: ${sizes.markets} markets; ${reportMonth}: ${Number(sizes.facts).toLocaleString('en')} fact rows, ${Number(sizes.subjects).toLocaleString('en')} subject-days (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

  const actor: Actor = {
    userId: demoId('user:province.auditor'), username: 'province.auditor', orgId: demoId('henan'), orgKind: 'province', regionPrefix: '41', marketIds: [], roles: ['province_auditor'],
  };
  const reports = ctx.get(ReportsService);
  const db = ctx.get(TenantDb);
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i <= iterations; i++) {
    const t = process.hrtime.bigint();
    const f = await db.run(actor, (em) => reports.figures(em, actor, '41', reportMonth));
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (i > 0) times.push(ms);
    summary = `markets ${f.markets}, carried over ${f.totals.carriedOver}, demand ${f.totals.newDemand}, seekers ${f.totals.seekers}, ratio ${f.totals.ratio}, ${f.byOccupation.length} occupations, ${f.byCounty.length} counties`;
    console.log(`  ${i ? `run ${i}` : 'warm-up'}: ${(ms / 1000).toFixed(2)} s`);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => pct(times, q * 100);
  console.log(`reports: province 41, ${reportMonth}: p50 ${(p(0.5) / 1000).toFixed(2)} s, p95 ${(p(0.95) / 1000).toFixed(2)} s, max ${(times[times.length - 1] / 1000).toFixed(2)} s (target ≤ 10 s); ${summary}`);
  await ctx.close();
  if (!flag(args, 'keep')) await dropBenchDb(config, DB);
  return times[times.length - 1] <= 10_000 ? 0 : 1;
}
