import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { CoreModule, TenantDb, type AppConfig } from '@linggong/api-core';
import { AssessmentCoreModule, AssessmentService, ModelMarketsModule, ModelMarketsService } from '@linggong/api-assessment';
import { SCHEMA } from '@linggong/api-schema';
import { defaultTemplate, leavesOf, type Actor, type OrgKind, type Role, type ScheduleItem } from '@linggong/domain';
import { shanghaiDay } from '@linggong/ledger-chain';
import { createHash } from 'node:crypto';
import { demoId } from './demo-seed';

@Module({})
class AssessmentDemoModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AssessmentDemoModule,
      imports: [CoreModule.forRoot(config, SCHEMA), BullModule.forRoot({ connection: { url: config.REDIS_URL }, prefix: `${config.REDIS_PREFIX}:bull` }), AssessmentCoreModule, ModelMarketsModule],
    };
  }
}

const actor = (username: string, org: string, orgKind: OrgKind, region: string, roles: Role[], tenantId?: string): Actor => ({
  userId: demoId(`user:${username}`), username, orgId: demoId(org), orgKind, regionPrefix: orgKind === 'operator' ? undefined : region, tenantId, marketIds: [], roles,
});
const PROVINCE = actor('province.auditor', 'henan', 'province', '41', ['province_auditor']);
const CITY: Record<string, Actor> = { '4101': actor('city.analyst', 'zhengzhou', 'city', '4101', ['city_analyst']), '4103': actor('luoyang.analyst', 'luoyang', 'city', '4103', ['city_analyst']) };
const COUNTY: Record<string, Actor> = {
  '410122': actor('county.reviewer', 'zhongmu', 'county', '410122', ['county_reviewer']),
  '410184': actor('xinzheng.reviewer', 'xinzheng', 'county', '410184', ['county_reviewer']),
  '410327': actor('yiyang.reviewer', 'yiyang', 'county', '410327', ['county_reviewer']),
};
const OPERATOR: Record<string, Actor> = Object.fromEntries(['op1', 'op2', 'op3'].map((k) => [demoId(k), actor(`${k}.admin`, k, 'operator', '', ['operator_admin'], demoId(k))]));
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monthStart = (day: string, back: number) => { const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() - back); return d.toISOString().slice(0, 10); };
const sm3ish = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * What each county's reviewer finds on the evidence items (share of the item's points): the failing station's
 * operator (op3, docs/demo-data.md "The failing operator") posted no service list at its gate, ran no survey and
 * has no staff rota; the others are in order.
 */
const EVIDENCE_SHARE: Record<string, number> = { [demoId('op1')]: 0.9, [demoId('op2')]: 0.8, [demoId('op3')]: 0.2 };

/**
 * The assessment demo (issue 15 §7), through the assessment service as the demo's authorities and operators: the
 * province saves the default template; each county records the terms of its legacy contracts (version 2: a year's
 * amount, quarterly fixed and result-linked instalments, unit rates per started hire and per training completion);
 * the province runs a cycle over the three months before this one (from the first day of the demo's history),
 * frozen from the rollups; operators self-assess, counties review, the city audits the drawn sample, the province
 * publishes — op3 (the visibly worse station of the analytics demo) grades 差, the others pass — op3 appeals and the
 * city decides it (rejected, with reasons); the county approves op1's statement; the province proposes the cycle's model-market
 * candidates (issue 15 §5), the list standing under 公示 for 7 days. Full history only. Idempotent: a
 * database with a cycle is left alone.
 */
export async function seedAssessmentDemo(config: AppConfig, opts: { now?: Date } = {}): Promise<string> {
  const ctx = await NestFactory.createApplicationContext(AssessmentDemoModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const db = ctx.get(TenantDb);
    const svc = ctx.get(AssessmentService);
    const [{ n }] = await db.run(PROVINCE, (em) => em.query('SELECT count(*)::int AS n FROM assessment_cycles'));
    if (n > 0) return 'assessment demo: a cycle exists, left alone';
    const today = shanghaiDay(opts.now ?? new Date());
    const periodTo = addDays(monthStart(today, 0), -1);
    const periodFrom = [monthStart(today, 3), addDays(today, -89)].sort()[1];
    const tpl = await svc.createTemplate(PROVINCE, { name: '河南省零工市场运营考核指标体系', body: defaultTemplate() });

    // Each county records the terms of its legacy contracts (version 2).
    const legacy = await db.run(PROVINCE, (em) => em.query(`SELECT id, region_code, tenant_id, market_ids FROM contracts WHERE needs_terms AND superseded_at IS NULL ORDER BY region_code, tenant_id`)) as { id: string; region_code: string; tenant_id: string; market_ids: string[] }[];
    const contracts: string[] = [];
    for (const c of legacy) {
      const perMarket = 30_000_000; // ¥300,000 a market a year
      const amountFen = perMarket * c.market_ids.length;
      const quarter = amountFen / 4;
      const schedule: ScheduleItem[] = [0, 1, 2, 3].flatMap((q) => [
        { label: `第${q + 1}期基本运营费`, due: addDays(periodFrom, q * 91), amountFen: quarter * 0.7, resultLinked: false },
        { label: `第${q + 1}期考核结算`, due: q === 0 ? periodTo : addDays(periodTo, q * 91), amountFen: quarter * 0.3, resultLinked: true },
      ]);
      const v2 = await svc.amendContract(COUNTY[c.region_code], c.id, {
        number: '', title: '零工市场委托运营服务合同（政府购买服务）', termFrom: periodFrom, termTo: addDays(periodFrom, 364), marketIds: c.market_ids, amountFen, schedule,
        unitRates: [{ kpi: 'hires_started', rateFen: 300 }, { kpi: 'training_completions', rateFen: 20_000 }],
        gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 0 }, documentSm3: sm3ish(`contract ${c.region_code} ${c.tenant_id}`), reason: '补录合同条款（存量委托运营）',
      });
      contracts.push(v2.id);
    }

    const cycle = await svc.openCycle(PROVINCE, {
      name: `${periodFrom.slice(0, 7)} 至 ${periodTo.slice(0, 7)} 季度考核`, kind: 'quarterly', templateId: tpl.id, periodFrom, periodTo,
      cutoff: [addDays(periodTo, 3), today].sort()[0], selfDeadline: today, reviewDeadline: addDays(today, 7), appealDays: 10, samplePct: 50, contractIds: contracts,
    });
    await svc.freezeCycle(PROVINCE, cycle.id, opts.now);
    const list = await svc.listAssessments(PROVINCE, { cycleId: cycle.id });
    const evidence = leavesOf(defaultTemplate().indicators).filter((l) => l.node.evidence).map((l) => l.node);
    for (const a of list) {
      const op = OPERATOR[a.operatorId];
      await svc.selfAssess(op, a.id, { items: evidence.map((e) => ({ code: e.code, score: e.weight, explanation: '已按要求落实，见附件', evidence: [{ attachmentSm3: sm3ish(`${a.id} ${e.code}`), note: '照片与台账' }] })) });
      const share = EVIDENCE_SHARE[a.operatorId] ?? 0.8;
      await svc.review(COUNTY[a.regionCode], a.id, { items: evidence.map((e) => ({
        code: e.code, score: Math.round(e.weight * share * 10) / 10,
        comment: share < 0.5 ? '现场检查：未见公示或记录，佐证与现场不符' : '现场检查属实',
      })) });
    }
    for (const a of (await svc.listAssessments(PROVINCE, { cycleId: cycle.id })).filter((x) => x.sampled)) {
      await svc.auditSample(CITY[a.regionCode.slice(0, 4)], a.id, { items: [] });
    }
    await svc.publishCycle(PROVINCE, cycle.id);
    const results = await svc.listAssessments(PROVINCE, { cycleId: cycle.id });
    const failing = results.find((r) => r.operatorId === demoId('op3'));
    if (failing) {
      await svc.appeal(OPERATOR[demoId('op3')], failing.id, { reason: '驿站地处城乡接合部，服务对象少；日结登记滞后系人手不足所致，请求酌情调整台账质量得分。', items: ['process.rules'] });
      await svc.decideAppeal(CITY['4101'], failing.id, { decision: 'rejected', reason: '经核查台账与回访记录，逾期日结与未登记日结属实，申诉理由不成立，维持原评定。', items: [] });
    }
    const op1 = results.find((r) => r.operatorId === demoId('op1'));
    if (op1) await svc.approveStatement(COUNTY[op1.regionCode], op1.id);
    // Model markets (issue 15 §5): the province proposes the cycle's candidates; the list stands under 公示 (7 days).
    const models = ctx.get(ModelMarketsService);
    const proposal = await models.propose(PROVINCE, { cycleId: cycle.id, title: `河南省示范零工市场拟认定名单（${periodFrom.slice(0, 7)} 至 ${periodTo.slice(0, 7)} 考核）`, noticeDays: 7, minGrade: 'excellent' }, opts.now);
    return `assessment demo: cycle ${periodFrom}..${periodTo}, ${results.map((r) => `${r.operatorName}@${r.regionCode} ${r.total} ${r.grade}`).join('; ')}; `
      + `model markets under 公示 until ${proposal.noticeUntil}: ${proposal.markets.map((m) => m.name).join('、')}`;
  } finally {
    await ctx.close();
  }
}
