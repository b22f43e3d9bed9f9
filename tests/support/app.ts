import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { CONTEXTS } from '@linggong/api-schema';
import { PG_TYPES, loadConfig, type AppConfig } from '@linggong/api-core';
import { demoTotpSecret, totpCode } from '@linggong/api-identity';
import { isChallenge, type LoginResponse, type LoginResult, type SecondFactorChallenge } from '@linggong/domain';
import { createApiApp } from '../../apps/api/src/app/create-app';
import type { AppOptions } from '../../apps/api/src/app/app.module';
import { DEMO_PASSWORD, demoId } from '../../tools/db/demo-seed';

export { DEMO_PASSWORD, demoId };

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  /** A superuser-free owner connection for counting rows and setting up fixtures. */
  owner: DataSource;
  close(): Promise<void>;
}

/** The API in-process, against the real test PostgreSQL and Redis; `options.logStream` captures its JSON log. */
export async function bootApp(overrides: Record<string, string> = {}, options: AppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...overrides });
  const app = await createApiApp(config, options);
  // The owner connection reads rows the way the app's pools do (`date` columns as YYYY-MM-DD: api-core PG_TYPES).
  const owner = new DataSource({ type: 'postgres', url: config.DATABASE_OWNER_URL, installExtensions: false, extra: { types: PG_TYPES } });
  await owner.initialize();
  return {
    app, config, owner, http: request(app.getHttpServer()),
    close: async () => {
      await owner.destroy();
      await app.close();
    },
  };
}

export interface Session { token: string; csrf: string; user: LoginResult['user']; auth: { Authorization: string } }

export async function login(t: TestApp, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await t.http.post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const first = res.body as LoginResponse;
  const body = isChallenge(first) ? await passSecondFactor(t, username, first) : first;
  return { token: body.token, csrf: body.csrfToken, user: body.user, auth: { Authorization: `Bearer ${body.token}` } };
}

/**
 * The second sign-in step, as a user with an authenticator would: the demo's published secret for
 * an enrolled demo user, or the secret offered by an enrolment challenge. A code is accepted once per
 * 30-second step and the suites sign the same demo users in many times a minute, so the user's last
 * used step is forgotten first (the replay refusal itself is tested in auth.e2e-spec.ts).
 */
export async function passSecondFactor(t: TestApp, username: string, ch: SecondFactorChallenge): Promise<LoginResult> {
  const secret = ch.secondFactor === 'enrol' ? (ch.enrolment?.secret as string) : demoTotpSecret(username);
  await t.owner.query('UPDATE users SET totp_last_step = NULL WHERE username = $1', [username.toLowerCase()]);
  const route = ch.secondFactor === 'enrol' ? '/api/v1/auth/login/enrol' : '/api/v1/auth/login/second-factor';
  const res = await t.http.post(route).send({ challenge: ch.challenge, code: await totpCode(secret) });
  if (res.status !== 200) throw new Error(`login ${username} (second factor): ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as LoginResult;
}

/** Row counts of every application table, to prove a refused request wrote nothing. */
export async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  // Not the analytics tables: only the rollup jobs write them, in the background (a suite that runs the worker's
  // processors in process, as board.e2e-spec does, may fold a sealed day while a refused request is being checked).
  const tables: { tablename: string }[] = await t.owner.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' AND tablename NOT LIKE 'analytics\\_%' ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { tablename } of tables) {
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM "${tablename}"`);
    out[tablename] = n;
  }
  return out;
}

/**
 * Runs `fn` while a worker started in process takes no job: every context's queue is paused (globally, in Redis)
 * and the jobs already running are waited for. A "nothing written" comparison inside `fn` then sees only what its
 * requests wrote, not a push, a sweep or a catch-up the worker happened to run meanwhile (its schedules and boot
 * jobs run against everything other suites left in the database). Jobs added meanwhile run after `fn`.
 */
export async function withQueuesPaused<T>(worker: INestApplicationContext, fn: () => Promise<T>): Promise<T> {
  const queues = [...new Set(CONTEXTS.flatMap((c) => c.queues ?? []))].map((name) => worker.get<Queue>(getQueueToken(name), { strict: false }));
  await Promise.all(queues.map((q) => q.pause()));
  try {
    const end = Date.now() + 120_000;
    while ((await Promise.all(queues.map((q) => q.getActiveCount()))).some((n) => n > 0)) {
      if (Date.now() > end) throw new Error('the worker\'s jobs still running after 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return await fn();
  } finally {
    await Promise.all(queues.map((q) => q.resume()));
  }
}

let seq = 0;

/** The demo's county reviewers, by county: who records a contract there. */
const COUNTY_REVIEWERS: Record<string, string> = { '410122': 'county.reviewer', '410184': 'xinzheng.reviewer', '410327': 'yiyang.reviewer' };
const shanghaiToday = (shiftDays = 0) => new Date(Date.now() + 8 * 3_600_000 + shiftDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 15 §1 (R-A3): a market gets an operator only under a live contract of that operator in its county that lists
 * it. `coverMarket` records one as the county would — through the API as the demo's county reviewer; in a county the
 * demo has no reviewer for (410102, 中原区) the owner inserts the same row — and returns its id.
 */
export async function coverMarket(t: TestApp, marketId: string, operatorId: string, regionCode: string): Promise<string> {
  const number = `TEST-${marketId.slice(-12)}-${(++seq).toString(36)}`;
  const terms = {
    number, title: '零工市场委托运营服务合同（测试）', termFrom: shanghaiToday(-400), termTo: shanghaiToday(365), marketIds: [marketId],
    amountFen: 100_000, schedule: [{ label: '运营费', due: shanghaiToday(365), amountFen: 100_000, resultLinked: false }], documentSm3: 'c0'.repeat(32),
  };
  const reviewer = COUNTY_REVIEWERS[regionCode];
  if (reviewer) {
    const county = await login(t, reviewer);
    return (await t.http.post('/api/v1/contracts').set(county.auth).send({ operatorId, ...terms }).expect(201)).body.id;
  }
  const [row] = await t.owner.query(
    `INSERT INTO contracts (id, region_code, tenant_id, number, version, title, term_from, term_to, market_ids, amount_fen, schedule, grade_factors, document_sm3)
     VALUES (gen_random_uuid(), $1, $2, $3, 1, $4, $5, $6, $7, $8, $9, '{"excellent":100,"good":90,"fair":70,"poor":0}', $10) RETURNING id`,
    [regionCode, operatorId, number, terms.title, terms.termFrom, terms.termTo, [marketId], terms.amountFen, JSON.stringify(terms.schedule), terms.documentSm3]);
  return row.id;
}

/**
 * A market registered (as `by`) and assigned to `operatorId` the way issue 15 §1 requires: registered with no operator,
 * listed on a contract with the operator (`coverMarket`), then given its operator. Returns the market's view.
 */
export async function registerAssigned(t: TestApp, by: Session, body: Record<string, unknown> & { operatorId: string; regionCode: string }) {
  const { operatorId, ...rest } = body;
  const m = await t.http.post('/api/v1/markets').set(by.auth).send(rest).expect(201);
  await coverMarket(t, m.body.id, operatorId, body.regionCode);
  return (await t.http.patch(`/api/v1/markets/${m.body.id}/registration`).set(by.auth).send({ operatorId }).expect(200)).body;
}
/** Roles `freshTenant` can add; market-level ones are assigned to the tenant's market. */
export type FreshRole = 'market_manager' | 'complaint_handler';
const SHORT: Record<FreshRole, string> = { market_manager: 'mgr', complaint_handler: 'cph' };

/**
 * A fresh operator with its own admin, desk user and market, so a test file owns its data; `roles` adds
 * one user for each further role the suite needs (`users.market_manager`, …), so that no suite borrows
 * the demo tenant's staff. `signIn(role)` signs any of them in.
 */
export async function freshTenant(t: TestApp, label: string, roles: readonly FreshRole[] = []) {
  const admin = await login(t, 'admin');
  const suffix = `${label}${Date.now().toString(36)}${++seq}`;
  const org = await t.http.post('/api/v1/organisations').set(admin.auth)
    .send({ kind: 'operator', name: `测试运营机构${suffix}`, regionCode: '410122' }).expect(201);
  const market = { body: await registerAssigned(t, admin, {
    // Unique in the county whatever else runs at the same moment: the name is unique per region, and a clock-based
    // suffix once gave two suites' fixtures the same name (`测试1` + `23456` and `测试12` + `3456`). Digits, which the name
    // rules allow, and at most nine, which no mobile-number check mistakes for a phone (eleven digits).
    name: `中牟县零工市场（测试${randomInt(1e9)}）`, type: 'comprehensive', nature: 'public', mode: 'contracted',
    regionCode: '410122', operatorId: org.body.id, status: 'open',
  }) };
  const password = 'Test-Passw0rd!';
  const mk = async (username: string, roles: string[], marketIds: string[] = []) =>
    (await t.http.post('/api/v1/users').set(admin.auth).send({
      username, displayName: username, password, orgId: org.body.id, roles, marketIds, phone: '13912345678',
    }).expect(201)).body;
  const adminUser = await mk(`${suffix}.admin`.toLowerCase().slice(0, 32), ['operator_admin']);
  const deskUser = await mk(`${suffix}.desk`.toLowerCase().slice(0, 32), ['front_desk'], [market.body.id]);
  const users: Partial<Record<FreshRole | 'operator_admin' | 'front_desk', typeof adminUser>> = { operator_admin: adminUser, front_desk: deskUser };
  for (const role of new Set(roles)) users[role] = await mk(`${suffix}.${SHORT[role]}`.toLowerCase().slice(0, 32), [role], [market.body.id]);
  const signIn = (role: keyof typeof users) => {
    const u = users[role];
    if (!u) throw new Error(`freshTenant(${label}): no ${role}; pass it in roles`);
    return login(t, u.username, password);
  };
  return { org: org.body, market: market.body, adminUser, deskUser, users, signIn, password };
}
