import { createHash, randomBytes } from 'node:crypto';
import { Algorithm, hash } from '@node-rs/argon2';
import type { DataSource } from 'typeorm';
import { DEV_LEDGER_SEED, Pii, refusesDemoSecrets, type AppConfig } from '@linggong/api-core';
import { demoTotpSecret } from '@linggong/api-identity';
import type { OrgKind, ProhibitedItem, Role } from '@linggong/domain';
import { ed25519FromSeed, shanghaiDay } from '@linggong/ledger-chain';
import { assistanceSimulation } from './demo-assistance';
import { simulate, type ActivityMarket, type MarketActivity, type ServiceSimContext, type ServiceSimulation } from './demo-activity';
import { simulateTools } from './demo-tools';
import { simulateBoard } from './demo-board';
import { writeActivity } from './demo-ledger';
import { simulateComplaints } from './demo-complaints';
import { simulateTraining } from './demo-training';
import { simulateEvents } from './demo-events';

/** The one demo password (README). */
export const DEMO_PASSWORD = 'Linggong@2026';

/** Deterministic ids (UUID version 8, from the record's key) so that seeding twice changes nothing. */
export function demoId(key: string): string {
  const h = createHash('sha256').update(`linggong-demo:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ORGS: { key: string; kind: OrgKind; name: string; region: string; contact?: [string, string] }[] = [
  { key: 'platform', kind: 'platform', name: '零工市场监管服务平台运营中心', region: '11' },
  { key: 'henan', kind: 'province', name: '河南省人力资源和社会保障厅', region: '41' },
  { key: 'zhengzhou', kind: 'city', name: '郑州市人力资源和社会保障局', region: '4101' },
  { key: 'luoyang', kind: 'city', name: '洛阳市人力资源和社会保障局', region: '4103' },
  { key: 'zhongmu', kind: 'county', name: '中牟县人力资源和社会保障局', region: '410122' },
  { key: 'xinzheng', kind: 'county', name: '新郑市人力资源和社会保障局', region: '410184' },
  { key: 'yiyang', kind: 'county', name: '宜阳县人力资源和社会保障局', region: '410327' },
  { key: 'op1', kind: 'operator', name: '郑州豫才人力资源服务有限公司', region: '410122', contact: ['王建国', '13703710001'] },
  { key: 'op2', kind: 'operator', name: '洛阳河洛就业服务有限公司', region: '410327', contact: ['李秀梅', '13903790002'] },
  { key: 'op3', kind: 'operator', name: '新郑市众创就业服务中心', region: '410184', contact: ['赵志强', '13603710003'] },
];

const MARKETS = [
  { key: 'm-zhongmu', op: 'op1', region: '410122', name: '中牟县零工市场', type: 'comprehensive', address: '河南省郑州市中牟县青年路与建设路交叉口东北角人力资源市场一楼', lng: 113.9873, lat: 34.7192, occ: ['建筑小工', '装卸搬运工', '保洁员', '农业采摘工', '家政服务员'] },
  { key: 'm-guandu', op: 'op1', region: '410122', name: '中牟县官渡镇零工服务站', type: 'station', address: '河南省郑州市中牟县官渡镇政府便民服务中心西侧', lng: 114.0946, lat: 34.7436, occ: ['农业采摘工', '装卸搬运工'] },
  { key: 'm-xinzheng', op: 'op1', region: '410184', name: '新郑市零工市场', type: 'comprehensive', address: '河南省郑州市新郑市中华北路与人民路交叉口新郑市公共就业服务中心', lng: 113.7401, lat: 34.3958, occ: ['电工', '焊工', '餐厅服务员', '快递分拣员', '保安员'] },
  { key: 'm-longhu', op: 'op3', region: '410184', name: '新郑市龙湖镇零工驿站', type: 'station', address: '河南省郑州市新郑市龙湖镇文昌路与双湖大道交叉口', lng: 113.7312, lat: 34.5503, occ: ['家政服务员', '快递分拣员'] },
  { key: 'm-yiyang', op: 'op2', region: '410327', name: '宜阳县零工市场', type: 'comprehensive', address: '河南省洛阳市宜阳县城关镇滨河北路人社服务大厅东侧', lng: 112.1790, lat: 34.5146, occ: ['建筑小工', '钢筋工', '木工', '农业采摘工', '保洁员'] },
  { key: 'm-sanxiang', op: 'op2', region: '410327', name: '宜阳县三乡镇零工服务站', type: 'station', address: '河南省洛阳市宜阳县三乡镇三乡村便民服务中心', lng: 112.0573, lat: 34.4427, occ: ['农业采摘工', '装卸搬运工'] },
] as const;

/**
 * Demo users enrolled in the second factor with PUBLISHED secrets (README; `npm run demo:otp -- <user>`
 * prints the current code): everyone who must have one — the authorities and the platform admin.
 * Operator admins may enrol but need not, so the demo's operator users sign in with a password only.
 */
export const DEMO_TOTP_USERS = ['admin', 'province.auditor', 'city.analyst', 'county.reviewer', 'xinzheng.reviewer', 'luoyang.analyst', 'yiyang.reviewer'] as const;

/** Refused where published demo secrets are refused (production, or TOTP_REFUSE_DEMO_SECRETS). */
export function demoSecondFactorAllowed(config: AppConfig): boolean {
  return !refusesDemoSecrets(config);
}

const USERS: { username: string; name: string; org: string; roles: Role[]; markets?: string[]; phone: string }[] = [
  { username: 'admin', name: '平台管理员', org: 'platform', roles: ['platform_admin'], phone: '13800000001' },
  { username: 'province.auditor', name: '省厅审计员 张敏', org: 'henan', roles: ['province_auditor'], phone: '13800000002' },
  { username: 'city.analyst', name: '郑州市分析员 刘洋', org: 'zhengzhou', roles: ['city_analyst'], phone: '13800000003' },
  { username: 'county.reviewer', name: '中牟县审核员 陈静', org: 'zhongmu', roles: ['county_reviewer'], phone: '13800000004' },
  // 新郑市 (410184): op1's well-run market beside op3's failing one, so a county reviewer has two operators to compare (issue 13).
  { username: 'xinzheng.reviewer', name: '新郑市审核员 高峰', org: 'xinzheng', roles: ['county_reviewer'], phone: '13800000005' },
  // 洛阳市 and 宜阳县 (issue 14): the second city of the reporting chain and its county; every city and county of the demo has someone to confirm and compile the directory.
  { username: 'luoyang.analyst', name: '洛阳市分析员 许静', org: 'luoyang', roles: ['city_analyst'], phone: '13800000006' },
  { username: 'yiyang.reviewer', name: '宜阳县审核员 马超', org: 'yiyang', roles: ['county_reviewer'], phone: '13800000007' },
  { username: 'op1.admin', name: '豫才管理员 王建国', org: 'op1', roles: ['operator_admin'], phone: '13703710001' },
  { username: 'op1.manager', name: '中牟市场负责人 孙丽', org: 'op1', roles: ['market_manager'], markets: ['m-zhongmu', 'm-guandu'], phone: '13703710011' },
  { username: 'op1.desk', name: '中牟窗口 周强', org: 'op1', roles: ['front_desk'], markets: ['m-zhongmu'], phone: '13703710012' },
  { username: 'op1.complaints', name: '中牟投诉处理 吴芳', org: 'op1', roles: ['complaint_handler'], markets: ['m-zhongmu'], phone: '13703710013' },
  { username: 'op2.admin', name: '河洛管理员 李秀梅', org: 'op2', roles: ['operator_admin'], phone: '13903790002' },
  { username: 'op2.desk', name: '宜阳窗口 郑磊', org: 'op2', roles: ['front_desk'], markets: ['m-yiyang'], phone: '13903790012' },
  { username: 'op3.admin', name: '众创管理员 赵志强', org: 'op3', roles: ['operator_admin'], phone: '13603710003' },
];

/**
 * How much 即时快招 activity to seed (issue 4): `full` is 90 sealed days plus today for every demo
 * market (`db setup`, `db seed`); `today` is a small morning of today only, unsealed (`db reset`,
 * the API test database: the tests close past days of the demo markets themselves, and it keeps the
 * suite fast); `none` seeds only organisations, markets and users.
 */
export type DemoActivity = 'full' | 'today' | 'none';
export const FULL_HISTORY_DAYS = 90;

/** Idempotent demo data (issue 2 §9): runs as the owner role; existing rows are left as they are. */
export async function seedDemo(ds: DataSource, config: AppConfig, opts: { activity?: DemoActivity; ledgerHistory?: boolean; now?: Date } = {}): Promise<void> {
  const pw = await hash(DEMO_PASSWORD, { algorithm: Algorithm.Argon2id, memoryCost: config.ARGON2_MEMORY_KIB, timeCost: 2, parallelism: 1 });
  await ds.transaction(async (em) => {
    for (const o of ORGS) {
      await em.query(
        `INSERT INTO organisations (id, kind, name, region_code, contact_name, contact_phone) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO NOTHING`,
        [demoId(o.key), o.kind, o.name, o.region, o.contact?.[0] ?? null, o.contact?.[1] ?? null],
      );
    }
    for (const m of MARKETS) {
      const county = m.name.slice(0, 3);
      await em.query(
        `INSERT INTO markets (id, tenant_id, region_code, name, type, nature, mode, status, address, longitude, latitude,
                              opening_hours, contacts, hotline, occupations)
         VALUES ($1, $2, $3, $4, $5, 'public', 'contracted', 'open', $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO NOTHING`,
        [demoId(m.key), demoId(m.op), m.region, m.name, m.type, m.address, m.lng, m.lat,
         m.type === 'station' ? '周一至周日 06:00-12:00' : '周一至周日 05:30-18:00（节假日不休）',
         JSON.stringify([{ name: `${county}市场值班员`, phone: '0371-62100000'.replace('0371', m.region.startsWith('4103') ? '0379' : '0371'), title: '值班负责人' }]),
         m.region.startsWith('4103') ? '0379-68812333' : '0371-62112333', [...m.occ]],
      );
      // The gate-code secret (issue 12 §4): random per market and per database, never a published value.
      await em.query(
        'INSERT INTO market_gate_keys (market_id, tenant_id, region_code, secret) VALUES ($1, $2, $3, $4) ON CONFLICT (market_id) DO NOTHING',
        [demoId(m.key), demoId(m.op), m.region, randomBytes(32)]);
    }
    // Every assigned market is covered by a contract (issue 15 §1): the demo's assignments get the same 'legacy'
    // contracts, flagged as needing their terms, that the assessment migration gives a database's existing ones.
    await em.query('SELECT contracts_cover_legacy()');
    for (const u of USERS) {
      const org = ORGS.find((o) => o.key === u.org)!;
      const tenant = org.kind === 'operator' ? demoId(org.key) : null;
      await em.query(
        `INSERT INTO users (id, username, display_name, org_id, tenant_id, region_code, roles, phone, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (username) DO NOTHING`,
        [demoId(`user:${u.username}`), u.username, u.name, demoId(org.key), tenant, org.region, u.roles, u.phone, pw],
      );
      for (const m of u.markets ?? []) {
        await em.query('INSERT INTO user_markets (user_id, market_id, tenant_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [demoId(`user:${u.username}`), demoId(m), tenant]);
      }
    }
  });
  await enrolDemoSecondFactors(ds, config);
  const activity: DemoActivity = opts.activity ?? (opts.ledgerHistory ? 'full' : 'none');
  const summary = activity === 'none' ? null : await seedDemoActivity(ds, config, activity, opts.now ?? new Date());
  console.log(`demo data ready: ${ORGS.length} organisations, ${MARKETS.length} markets, ${USERS.length} users (password ${DEMO_PASSWORD})${summary ? `; ${summary}` : ''}`);
}

/**
 * Enrol DEMO_TOTP_USERS with their published secrets (only those not enrolled yet). Where published
 * secrets are refused, nothing is enrolled and the seed says so: those users then enrol their own
 * authenticator at their first sign-in.
 */
export async function enrolDemoSecondFactors(ds: DataSource, config: AppConfig): Promise<number> {
  if (!demoSecondFactorAllowed(config)) {
    console.log('demo second factors NOT enrolled: published demo TOTP secrets are refused here (production or TOTP_REFUSE_DEMO_SECRETS)');
    return 0;
  }
  const pii = new Pii(config);
  let n = 0;
  for (const username of DEMO_TOTP_USERS) {
    const [{ done }] = await ds.query(
      `WITH u AS (UPDATE users SET totp_secret = $2, totp_enrolled_at = now(), totp_recovery = '{}' WHERE id = $1 AND totp_enrolled_at IS NULL RETURNING id)
       SELECT count(*)::int AS done FROM u`,
      [demoId(`user:${username}`), pii.encrypt(demoTotpSecret(username))],
    );
    n += done as number;
  }
  return n;
}

/** Who does what at each demo market (the seeded users; a market without its own desk user is worked by its manager or admin). */
const STAFF: Record<string, { desk: string; manager: string; admin: string }> = {
  'm-zhongmu': { desk: 'op1.desk', manager: 'op1.manager', admin: 'op1.admin' },
  'm-guandu': { desk: 'op1.manager', manager: 'op1.manager', admin: 'op1.admin' },
  'm-xinzheng': { desk: 'op1.admin', manager: 'op1.admin', admin: 'op1.admin' },
  'm-longhu': { desk: 'op3.admin', manager: 'op3.admin', admin: 'op3.admin' },
  'm-yiyang': { desk: 'op2.desk', manager: 'op2.admin', admin: 'op2.admin' },
  'm-sanxiang': { desk: 'op2.admin', manager: 'op2.admin', admin: 'op2.admin' },
};

/** The other contexts' demos over each market's 90 days (see ServiceSimulation), run in this order. */
const SERVICE_SIMULATIONS: ServiceSimulation[] = [simulateComplaints, simulateTools, simulateTraining, simulateEvents, assistanceSimulation, simulateBoard];

export function activityMarkets(): ActivityMarket[] {
  const ref = (username: string) => ({ id: demoId(`user:${username}`), username });
  return MARKETS.map((m) => ({
    key: m.key, id: demoId(m.key), tenantId: demoId(m.op), regionCode: m.region, name: m.name, type: m.type as ActivityMarket['type'],
    lat: m.lat, lng: m.lng, desk: ref(STAFF[m.key].desk), manager: ref(STAFF[m.key].manager), admin: ref(STAFF[m.key].admin),
  }));
}

/**
 * 即时快招 activity for every demo market that has none yet (no work-log entry, worker or post):
 * simulated relative to now (Asia/Shanghai), then written market by market, each in one
 * transaction (tools/db/demo-ledger.ts).
 */
export async function seedDemoActivity(ds: DataSource, config: AppConfig, activity: Exclude<DemoActivity, 'none'>, now = new Date()): Promise<string> {
  const started = Date.now();
  const markets = activityMarkets();
  const busy = new Set<string>();
  for (const m of markets) {
    const [{ b }] = await ds.query(
      `SELECT EXISTS (SELECT 1 FROM ledger_entries WHERE market_id = $1) OR EXISTS (SELECT 1 FROM workers WHERE market_id = $1)
         OR EXISTS (SELECT 1 FROM posts WHERE market_id = $1) AS b`, [m.id]);
    if (b) busy.add(m.id);
  }
  if (busy.size === markets.length) return 'activity already present';
  const hazards = await demoHazards((sql) => ds.query(sql));
  // Every market is simulated (the wage medians span a city), only those still empty are written.
  const pii = new Pii(config);
  const acts = simulateDemo(markets, { now, historyDays: activity === 'full' ? FULL_HISTORY_DAYS : 0, scale: activity === 'full' ? 1 : 0.3, hazards, pii, config });
  const key = ed25519FromSeed(config.LEDGER_SIGNING_SEED ?? DEV_LEDGER_SEED).privateKey;
  let entries = 0;
  let written = 0;
  const rows: Record<string, number> = {};
  for (const a of acts) {
    if (busy.has(a.market.id)) continue;
    const r = await ds.transaction((em) => writeActivity(em, a, config, pii, key));
    entries += r.entries;
    written++;
    for (const [k, n] of Object.entries(r.rows)) rows[k] = (rows[k] ?? 0) + n;
  }
  if (!written) return 'activity already present';
  const days = activity === 'full' ? `${FULL_HISTORY_DAYS} sealed days + today` : 'today only';
  return `即时快招 activity (${days}) for ${written} markets: ${rows['workers']} workers, ${rows['employers']} employers, ${rows['posts']} posts, `
    + `${rows['check_ins']} check-ins, ${rows['placements']} placements, ${entries} work-log entries (${((Date.now() - started) / 1000).toFixed(1)} s)`;
}

/** The prohibited-work list the simulation refuses by (its refusals name them), as the migrations seeded it. */
export async function demoHazards(query: (sql: string) => Promise<{ code: string; name: string; applies_to: ProhibitedItem['appliesTo']; legal_source: string }[]>): Promise<ProhibitedItem[]> {
  return (await query('SELECT code, name, applies_to, legal_source FROM prohibited_work ORDER BY code'))
    .map((r) => ({ code: r.code, name: r.name, appliesTo: r.applies_to, legalSource: r.legal_source }));
}

/** The demo markets' activity as simulated at `now`, every service included (SERVICE_SIMULATIONS), before anything is written. */
export function simulateDemo(markets: ActivityMarket[], o: { now: Date; historyDays: number; scale: number; hazards: ProhibitedItem[]; pii: Pii; config: AppConfig }): MarketActivity[] {
  const today = shanghaiDay(o.now);
  const acts = simulate(markets, { today, now: o.now.getTime(), historyDays: o.historyDays, scale: o.scale, hazards: o.hazards });
  const ctx: ServiceSimContext = { today, now: o.now.getTime(), historyDays: o.historyDays, pii: o.pii, config: o.config };
  for (const a of acts) for (const sim of SERVICE_SIMULATIONS) sim(a, ctx);
  return acts;
}

export const DEMO_USERS = USERS.map((u) => u.username);
