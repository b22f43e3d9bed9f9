import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMongoAbility } from '@casl/ability';
import { demoTotpSecret, totpCode } from '@linggong/api-identity';
import { bootApp, freshTenant, login, type TestApp } from '../support/app';

/** Sign-in, lockout, session limits, revoke-all, CSRF and the audit trail of sign-ins (issue 2 §4, §6). */
describe('identity', () => {
  let t: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    t = await bootApp();
    redis = new Redis(t.config.REDIS_URL);
  });
  afterAll(async () => {
    await redis.quit();
    await t.close();
  });

  const sessionKey = async (token: string) => {
    return `${t.config.REDIS_PREFIX}:sess:${createHash('sha256').update(token).digest('hex')}`;
  };

  it('signs in with a bearer token and an httpOnly cookie, and /me returns abilities', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ username: 'op1.admin', password: 'Linggong@2026' }).expect(200);
    expect(res.body.token).toMatch(/^[\w-]{40,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/lg_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
    expect(me.body.username).toBe('op1.admin');
    expect(me.body.org.kind).toBe('operator');
    const ability = createMongoAbility(me.body.rules, { detectSubjectType: (o: { __typename: string }) => o.__typename });
    expect(ability.can('create', 'User')).toBe(true);
    expect(ability.can('create', 'Market')).toBe(false);
    const viaCookie = await t.http.get('/api/v1/auth/me').set('Cookie', `lg_session=${res.body.token}`).expect(200);
    expect(viaCookie.body.id).toBe(me.body.id);
  });

  it('refuses a wrong password with a localised message and records the failure', async () => {
    const zh = await t.http.post('/api/v1/auth/login').send({ username: 'op2.desk', password: 'wrong-Password1' }).expect(401);
    expect(zh.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(zh.body.title).toBe('用户名或密码错误');
    const en = await t.http.post('/api/v1/auth/login').set('Accept-Language', 'en').send({ username: 'nobody.here', password: 'x' }).expect(401);
    expect(en.body.title).toBe('Wrong username or password');
    const rows = await t.owner.query(`SELECT action, summary FROM audit_events WHERE action = 'auth.login.failure' ORDER BY occurred_at DESC LIMIT 5`);
    expect(rows.map((r: { summary: { reason: string } }) => r.summary.reason)).toEqual(expect.arrayContaining(['wrong_password', 'unknown_user']));
  });

  it('locks an account for 15 minutes after 5 failures, even for the right password, until unlocked', async () => {
    const f = await freshTenant(t, 'lock');
    const username = f.deskUser.username;
    for (let i = 1; i <= 4; i++) {
      await t.http.post('/api/v1/auth/login').send({ username, password: 'Wrong-pass-123' }).expect(401);
    }
    const fifth = await t.http.post('/api/v1/auth/login').send({ username, password: 'Wrong-pass-123' }).expect(423);
    expect(fifth.body.title).toMatch(/锁定 15 分钟/);
    await t.http.post('/api/v1/auth/login').send({ username, password: f.password }).expect(423);
    const [{ minutes }] = await t.owner.query(`SELECT round(extract(epoch FROM locked_until - now()) / 60) AS minutes FROM users WHERE username = $1`, [username]);
    expect(Number(minutes)).toBe(15);
    // The operator's own admin may unlock its staff.
    const opAdmin = await login(t, f.adminUser.username, f.password);
    await t.http.post(`/api/v1/users/${f.deskUser.id}/unlock`).set(opAdmin.auth).expect(204);
    await t.http.post('/api/v1/auth/login').send({ username, password: f.password }).expect(200);
    const actions = (await t.owner.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY occurred_at`, [f.deskUser.id])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login.failure', 'auth.login.locked', 'user.unlock', 'auth.login.success']));
  });

  it('ends a session after 30 idle minutes', async () => {
    const s = await login(t, 'op2.admin');
    await t.http.get('/api/v1/auth/me').set(s.auth).expect(200);
    const key = await sessionKey(s.token);
    const stored = JSON.parse((await redis.get(key)) as string);
    stored.lastSeenAt = Date.now() - 31 * 60_000;
    await redis.set(key, JSON.stringify(stored), 'KEEPTTL');
    const res = await t.http.get('/api/v1/auth/me').set(s.auth).expect(401);
    expect(res.body.title).toBe('登录已过期，请重新登录');
    expect(await redis.exists(key)).toBe(0);
  });

  it('ends a session 12 hours after sign-in however active it is', async () => {
    const s = await login(t, 'op2.admin');
    const key = await sessionKey(s.token);
    const stored = JSON.parse((await redis.get(key)) as string);
    stored.createdAt = Date.now() - 12 * 3_600_000 - 1000;
    stored.lastSeenAt = Date.now() - 1000;
    await redis.set(key, JSON.stringify(stored), 'KEEPTTL');
    await t.http.get('/api/v1/auth/me').set(s.auth).expect(401);
  });

  it('slides the idle window on use', async () => {
    const s = await login(t, 'op2.admin');
    const key = await sessionKey(s.token);
    const stored = JSON.parse((await redis.get(key)) as string);
    stored.lastSeenAt = Date.now() - 29 * 60_000;
    await redis.set(key, JSON.stringify(stored), 'KEEPTTL');
    await t.http.get('/api/v1/auth/me').set(s.auth).expect(200);
    expect(JSON.parse((await redis.get(key)) as string).lastSeenAt).toBeGreaterThan(Date.now() - 5000);
  });

  it('logs out one session, and revoke-all ends every session of the user', async () => {
    const a = await login(t, 'op2.desk');
    const b = await login(t, 'op2.desk');
    const c = await login(t, 'op2.desk');
    await t.http.post('/api/v1/auth/logout').set(a.auth).expect(204);
    await t.http.get('/api/v1/auth/me').set(a.auth).expect(401);
    await t.http.get('/api/v1/auth/me').set(b.auth).expect(200);
    await t.http.post('/api/v1/auth/revoke-all').set(b.auth).expect(204);
    await t.http.get('/api/v1/auth/me').set(b.auth).expect(401);
    await t.http.get('/api/v1/auth/me').set(c.auth).expect(401);
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.revoke_all' AND actor_username = 'op2.desk'`);
    expect(n).toBeGreaterThanOrEqual(1);
  });

  it('requires the CSRF header for writes made with the session cookie', async () => {
    const s = await login(t, 'op1.admin');
    const cookie = `lg_session=${s.token}`;
    const denied = await t.http.post('/api/v1/auth/revoke-all').set('Cookie', cookie).expect(403);
    expect(denied.body.title).toMatch(/CSRF/);
    await t.http.get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
    await t.http.post('/api/v1/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', s.csrf).expect(204);
  });

  it('writes an audit event for a sign-in with IP and user agent', async () => {
    // city.analyst has a second factor: the session (and its audit event) comes with the code.
    const ch = await t.http.post('/api/v1/auth/login').set('User-Agent', 'audit-probe/1.0').send({ username: 'city.analyst', password: 'Linggong@2026' }).expect(200);
    await t.owner.query(`UPDATE users SET totp_last_step = NULL WHERE username = 'city.analyst'`);
    await t.http.post('/api/v1/auth/login/second-factor').set('User-Agent', 'audit-probe/1.0')
      .send({ challenge: ch.body.challenge, code: await totpCode(demoTotpSecret('city.analyst')) }).expect(200);
    const [row] = await t.owner.query(`SELECT * FROM audit_events WHERE action = 'auth.login.success' AND actor_username = 'city.analyst' ORDER BY occurred_at DESC LIMIT 1`);
    expect(row.user_agent).toBe('audit-probe/1.0');
    expect(row.ip).toBeTruthy();
    expect(row.region_code).toBe('4101');
  });

  /** A problem document without what differs per request. */
  const shape = (r: { status: number; body: Record<string, unknown>; headers: Record<string, unknown> }) => {
    const { requestId: _r, instance: _i, ...rest } = r.body;
    return { status: r.status, type: r.headers['content-type'], body: rest };
  };

  it('answers an unknown username exactly as a known one, 401s then the same 423 lockout (issue 12 finding 10)', async () => {
    const f = await freshTenant(t, 'ghost');
    const known = f.deskUser.username;
    const unknown = `${known}x`;
    const answers = async (username: string) => {
      const out = [];
      for (let i = 0; i < 6; i++) out.push(shape(await t.http.post('/api/v1/auth/login').send({ username, password: 'Wrong-pass-123' })));
      return out;
    };
    const a = await answers(known);
    const b = await answers(unknown);
    expect(a.map((x) => x.status)).toEqual([401, 401, 401, 401, 423, 423]);
    expect(b).toEqual(a);
    // Locked for the right password too, whether the name exists or not; the per-name counter is in Redis.
    expect(shape(await t.http.post('/api/v1/auth/login').send({ username: unknown, password: f.password }))).toEqual(a[5]);
    const key = `${t.config.REDIS_PREFIX}:login-fail:${createHash('sha256').update(unknown).digest('hex')}`;
    expect(Number(await redis.get(key))).toBe(5);
    expect(await redis.pttl(key)).toBeGreaterThan(14 * 60_000);
  });

  it('limits guesses of the current password on the password-change route like sign-in (issue 12 finding 10)', async () => {
    const f = await freshTenant(t, 'pwguess');
    const s = await login(t, f.deskUser.username, f.password);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await t.http.post('/api/v1/auth/password').set(s.auth).send({ currentPassword: `Wrong-guess-${i}00`, newPassword: 'Brand-New-Pass-2026' })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 423, 423]);
    // Even the right current password is refused while locked, and so is signing in.
    await t.http.post('/api/v1/auth/password').set(s.auth).send({ currentPassword: f.password, newPassword: 'Brand-New-Pass-2026' }).expect(423);
    await t.http.post('/api/v1/auth/login').send({ username: f.deskUser.username, password: f.password }).expect(423);
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.change_password.failure' AND subject_id = $1`, [f.deskUser.id]);
    expect(n).toBe(5);
  });

  it('holds passwords to ASVS L2: 12 to 128 characters, not common or breached, not containing the username', async () => {
    const f = await freshTenant(t, 'policy');
    const s = await login(t, f.deskUser.username, f.password);
    const change = (newPassword: string, lang = 'zh-CN') =>
      t.http.post('/api/v1/auth/password').set(s.auth).set('Accept-Language', lang).send({ currentPassword: f.password, newPassword });
    const short = await change('Abcdef-12!x').expect(400);
    expect(short.body.errors).toEqual([{ field: 'newPassword', message: '密码长度须为 12 至 128 个字符（可用一句好记的话）' }]);
    const common = await change('Password2026!', 'en').expect(400);
    expect(common.body.errors).toEqual([{ field: 'newPassword', message: 'This password is too common or has appeared in a data breach; choose one that is harder to guess' }]);
    await change('qwerty123456').expect(400);
    await change('aaaaaaaaaaaaaaaa').expect(400);
    const withName = await change(`My-${f.deskUser.username}-2026`).expect(400);
    expect(withName.body.errors[0].message).toBe('密码不能包含用户名');
    expect((await change('x'.repeat(129))).status).toBe(400);
    // Creating a user applies the same list.
    const admin = await login(t, 'admin');
    const weak = await t.http.post('/api/v1/users').set(admin.auth).send({
      username: `${f.deskUser.username.slice(0, 20)}.w`, displayName: 'weak', password: 'Password2026!', orgId: f.org.id, roles: ['operator_admin'],
    }).expect(400);
    expect(weak.body.errors).toEqual([{ field: 'password', message: '该密码过于常见或已出现在泄露密码库中，请换一个不易猜到的密码' }]);
    // A long passphrase without any particular mix of characters is fine (ASVS V2.1.9: no composition rules).
    await change('correct horse battery staple').expect(204);
  });

  it('rate-limits the login route per IP with a problem document', async () => {
    const limited = await bootApp({ LOGIN_RATE_PER_MINUTE: '3', REDIS_PREFIX: `rl${Date.now().toString(36)}` });
    try {
      for (let i = 0; i < 3; i++) await limited.http.post('/api/v1/auth/login').send({ username: 'nobody.x', password: 'x' }).expect(401);
      const res = await limited.http.post('/api/v1/auth/login').send({ username: 'nobody.x', password: 'x' }).expect(429);
      expect(res.body.title).toBe('操作过于频繁，请稍后再试');
    } finally {
      await limited.close();
    }
  });
});
