import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '@linggong/api-core';
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
  const owner = new DataSource({ type: 'postgres', url: config.DATABASE_OWNER_URL, installExtensions: false });
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
  const tables: { tablename: string }[] = await t.owner.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { tablename } of tables) {
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM "${tablename}"`);
    out[tablename] = n;
  }
  return out;
}

let seq = 0;
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
  const market = await t.http.post('/api/v1/markets').set(admin.auth).send({
    name: `中牟县零工市场（测试${seq}${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted',
    regionCode: '410122', operatorId: org.body.id, status: 'open',
  }).expect(201);
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
