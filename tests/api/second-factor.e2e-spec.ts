import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, refusesDemoSecrets } from '@linggong/api-core';
import { RECOVERY_CODE_COUNT, demoTotpSecret, totpCode } from '@linggong/api-identity';
import { bootApp, demoId, freshTenant, login, type TestApp } from '../support/app';
import { DEMO_TOTP_USERS, enrolDemoSecondFactors } from '../../tools/db/demo-seed';

/**
 * The second factor (issue 12 item 11): TOTP required of authority users and the platform admin,
 * optional for operator admins; enrolment at the first sign-in, recovery codes, replay refusal,
 * the lockout, an admin's reset, and published demo secrets refused where they must be.
 */
describe('second factor (TOTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  const password = 'County-Reviewer-2026';
  /** Forget a user's last accepted time step, so a test can sign the same user in twice within 30 s. */
  const forgetStep = (username: string) => t.owner.query('UPDATE users SET totp_last_step = NULL WHERE username = $1', [username]);
  let seq = 0;
  /** A fresh county reviewer (an authority user: a second factor is required), not enrolled yet. */
  const freshCountyUser = async () => {
    const admin = await login(t, 'admin');
    const username = `cty${Date.now().toString(36)}${++seq}`;
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({
      username, displayName: username, password, orgId: demoId('zhongmu'), roles: ['county_reviewer'],
    }).expect(201);
    return { id: res.body.id as string, username };
  };
  /** Sign a fresh county user in for the first time: the enrolment challenge, then its first code. */
  const enrolled = async () => {
    const u = await freshCountyUser();
    const ch = await t.http.post('/api/v1/auth/login').send({ username: u.username, password }).expect(200);
    const secret = ch.body.enrolment.secret as string;
    const done = await t.http.post('/api/v1/auth/login/enrol').send({ challenge: ch.body.challenge, code: await totpCode(secret) }).expect(200);
    return { ...u, secret, recoveryCodes: done.body.recoveryCodes as string[], token: done.body.token as string };
  };

  it('asks an enrolled demo authority user for a code after the password: no session until then', async () => {
    const ch = await t.http.post('/api/v1/auth/login').send({ username: 'county.reviewer', password: 'Linggong@2026' }).expect(200);
    expect(ch.body).toEqual({ secondFactor: 'totp', challenge: expect.stringMatching(/^[\w-]{40,}$/), expiresAt: expect.any(String) });
    expect(ch.body.token).toBeUndefined();
    expect(ch.headers['set-cookie']).toBeUndefined();
    // The challenge is not a session.
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${ch.body.challenge}`).expect(401);
    const wrong = await t.http.post('/api/v1/auth/login/second-factor').set('Accept-Language', 'en').send({ challenge: ch.body.challenge, code: '000000' }).expect(401);
    expect(wrong.body.title).toBe('The code is wrong or was already used; enter the latest code from your authenticator app');
    await forgetStep('county.reviewer');
    const ok = await t.http.post('/api/v1/auth/login/second-factor').send({ challenge: ch.body.challenge, code: await totpCode(demoTotpSecret('county.reviewer')) }).expect(200);
    expect(String(ok.headers['set-cookie'])).toMatch(/lg_session=/);
    const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${ok.body.token}`).expect(200);
    expect(me.body.username).toBe('county.reviewer');
    // The challenge was spent with the session.
    await t.http.post('/api/v1/auth/login/second-factor').send({ challenge: ch.body.challenge, code: await totpCode(demoTotpSecret('county.reviewer')) }).expect(401);
    const [row] = await t.owner.query(`SELECT summary FROM audit_events WHERE action = 'auth.login.success' AND actor_username = 'county.reviewer' ORDER BY occurred_at DESC LIMIT 1`);
    expect(row.summary).toEqual({ secondFactor: 'totp' });
    // The platform admin and every demo authority user are enrolled; operator admins are not.
    const rows = await t.owner.query(`SELECT username FROM users WHERE totp_enrolled_at IS NOT NULL AND username = ANY($1) ORDER BY 1`, [[...DEMO_TOTP_USERS, 'op1.admin']]);
    expect(rows.map((r: { username: string }) => r.username)).toEqual([...DEMO_TOTP_USERS].sort());
    // The README publishes each demo secret.
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    for (const u of DEMO_TOTP_USERS) expect(readme.split('\n').find((l) => l.startsWith(`| \`${u}\` |`))).toContain(demoTotpSecret(u));
  });

  it('refuses a code a second time within its window (no replay), even from two requests at once', async () => {
    const code = await totpCode(demoTotpSecret('province.auditor'));
    await forgetStep('province.auditor');
    const challenges = await Promise.all([0, 1, 2].map(async () => (await t.http.post('/api/v1/auth/login').send({ username: 'province.auditor', password: 'Linggong@2026' }).expect(200)).body.challenge));
    const answers = await Promise.all(challenges.map((challenge) => t.http.post('/api/v1/auth/login/second-factor').send({ challenge, code })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
    // The two refusals counted towards the lockout; a sign-in clears them.
    await login(t, 'province.auditor');
  });

  it('sends a user who must have a second factor to enrolment right after the password, with a QR code', async () => {
    const u = await freshCountyUser();
    const ch = await t.http.post('/api/v1/auth/login').send({ username: u.username, password }).expect(200);
    expect(ch.body.secondFactor).toBe('enrol');
    expect(ch.body.token).toBeUndefined();
    const { secret, otpauthUri, qrDataUrl } = ch.body.enrolment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toMatch(new RegExp(`^otpauth://totp/.*${u.username}.*secret=${secret}`));
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    // Nothing is stored until a first valid code confirms the enrolment.
    const wrong = await t.http.post('/api/v1/auth/login/enrol').send({ challenge: ch.body.challenge, code: '123456' });
    expect(wrong.status).toBe(401);
    let [row] = await t.owner.query('SELECT totp_secret, totp_enrolled_at FROM users WHERE id = $1', [u.id]);
    expect(row).toEqual({ totp_secret: null, totp_enrolled_at: null });
    const done = await t.http.post('/api/v1/auth/login/enrol').send({ challenge: ch.body.challenge, code: await totpCode(secret) }).expect(200);
    expect(done.body.token).toMatch(/^[\w-]{40,}$/);
    expect(done.body.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(done.body.recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    // At rest: the secret encrypted (the PII key), the recovery codes as SHA-256 hashes only.
    [row] = await t.owner.query('SELECT totp_secret, totp_enrolled_at, totp_recovery FROM users WHERE id = $1', [u.id]);
    expect(row.totp_secret).toMatch(/^v1:/);
    expect(row.totp_secret).not.toContain(secret);
    const norm = (c: string) => createHash('sha256').update(c.replace(/-/g, '')).digest('hex');
    expect([...row.totp_recovery].sort()).toEqual(done.body.recoveryCodes.map(norm).sort());
    // From now on the password alone is not enough.
    const next = await t.http.post('/api/v1/auth/login').send({ username: u.username, password }).expect(200);
    expect(next.body.secondFactor).toBe('totp');
    const audit = (await t.owner.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY occurred_at`, [u.id])).map((r: { action: string }) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['user.second_factor_enrol', 'auth.login.success']));
  });

  it('accepts each recovery code once, and new recovery codes replace the old ones', async () => {
    const u = await enrolled();
    const viaRecovery = async (recoveryCode: string) => {
      const ch = await t.http.post('/api/v1/auth/login').send({ username: u.username, password }).expect(200);
      return t.http.post('/api/v1/auth/login/second-factor').send({ challenge: ch.body.challenge, recoveryCode });
    };
    const first = await viaRecovery(u.recoveryCodes[0].toUpperCase());
    expect(first.status).toBe(200);
    expect((await viaRecovery(u.recoveryCodes[0])).status).toBe(401);
    const status = await t.http.get('/api/v1/auth/second-factor').set('Authorization', `Bearer ${first.body.token}`).expect(200);
    expect(status.body).toMatchObject({ enrolled: true, required: true, recoveryCodesLeft: RECOVERY_CODE_COUNT - 1 });
    // Regenerating needs a current code.
    await t.http.post('/api/v1/auth/second-factor/recovery-codes').set('Authorization', `Bearer ${first.body.token}`).send({ code: '000000' }).expect(400);
    await forgetStep(u.username);
    const fresh = await t.http.post('/api/v1/auth/second-factor/recovery-codes').set('Authorization', `Bearer ${first.body.token}`).send({ code: await totpCode(u.secret) }).expect(200);
    expect(fresh.body.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect((await viaRecovery(u.recoveryCodes[1])).status).toBe(401);
    expect((await viaRecovery(fresh.body.recoveryCodes[0])).status).toBe(200);
    const [{ n }] = await t.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.second_factor_recovery_codes' AND subject_id = $1`, [u.id]);
    expect(n).toBe(1);
  });

  it('locks the account after five wrong codes, like five wrong passwords', async () => {
    const u = await enrolled();
    const ch = await t.http.post('/api/v1/auth/login').send({ username: u.username, password }).expect(200);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.http.post('/api/v1/auth/login/second-factor').send({ challenge: ch.body.challenge, code: `00000${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    // Locked: the right password is refused, and a recovery code does not get past it.
    const locked = await t.http.post('/api/v1/auth/login').send({ username: u.username, password }).expect(423);
    expect(locked.body.title).toMatch(/锁定 15 分钟/);
    const [{ locked_until }] = await t.owner.query('SELECT locked_until FROM users WHERE id = $1', [u.id]);
    expect(new Date(locked_until).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it('lets an operator admin enrol optionally, and an admin reset a second factor with an audit event', async () => {
    const f = await freshTenant(t, 'totp');
    const opAdmin = await login(t, f.adminUser.username, f.password);
    expect((await t.http.get('/api/v1/auth/second-factor').set(opAdmin.auth).expect(200)).body).toMatchObject({ enrolled: false, required: false });
    const start = await t.http.post('/api/v1/auth/second-factor/enrolment').set(opAdmin.auth).expect(200);
    expect(start.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    await t.http.post('/api/v1/auth/second-factor/enrolment/confirm').set(opAdmin.auth).send({ code: '12345' }).expect(400);
    const confirmed = await t.http.post('/api/v1/auth/second-factor/enrolment/confirm').set(opAdmin.auth).send({ code: await totpCode(start.body.secret) }).expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    await t.http.post('/api/v1/auth/second-factor/enrolment').set(opAdmin.auth).expect(409);
    const ch = await t.http.post('/api/v1/auth/login').send({ username: f.adminUser.username, password: f.password }).expect(200);
    expect(ch.body.secondFactor).toBe('totp');
    const list = await t.http.get(`/api/v1/users/${f.adminUser.id}`).set(opAdmin.auth).expect(200);
    expect(list.body.secondFactor).toBe(true);

    // The operator admin enrols its desk user too, then resets it (its own tenant); not another tenant's or an authority's.
    const other = await freshTenant(t, 'totpo');
    await t.http.post(`/api/v1/users/${other.deskUser.id}/second-factor/reset`).set(opAdmin.auth).expect((r) => expect([403, 404]).toContain(r.status));
    const county = await enrolled();
    await t.http.post(`/api/v1/users/${county.id}/second-factor/reset`).set(opAdmin.auth).expect((r) => expect([403, 404]).toContain(r.status));
    await t.http.post(`/api/v1/users/${f.deskUser.id}/second-factor/reset`).set(opAdmin.auth).expect(204);

    // The platform admin resets the county user: its session ends, and the next sign-in enrols again.
    const admin = await login(t, 'admin');
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${county.token}`).expect(200);
    await t.http.post(`/api/v1/users/${county.id}/second-factor/reset`).set(admin.auth).expect(204);
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${county.token}`).expect(401);
    const [row] = await t.owner.query('SELECT totp_secret, totp_enrolled_at, totp_recovery FROM users WHERE id = $1', [county.id]);
    expect(row).toEqual({ totp_secret: null, totp_enrolled_at: null, totp_recovery: [] });
    const again = await t.http.post('/api/v1/auth/login').send({ username: county.username, password }).expect(200);
    expect(again.body.secondFactor).toBe('enrol');
    const [ev] = await t.owner.query(`SELECT actor_username, summary FROM audit_events WHERE action = 'user.second_factor_reset' AND subject_id = $1`, [county.id]);
    expect(ev).toEqual({ actor_username: 'admin', summary: { wasEnrolled: true } });
    // An authority user cannot reset anyone.
    const reviewer = await login(t, 'county.reviewer');
    await t.http.post(`/api/v1/users/${f.deskUser.id}/second-factor/reset`).set(reviewer.auth).expect(403);
  });

  it('refuses published demo secrets in production: sign-in fails with a clear message and the seed enrols none', async () => {
    expect(refusesDemoSecrets(loadConfig({ ...process.env, NODE_ENV: 'production', PII_ENCRYPTION_KEY: 'a'.repeat(64), PII_INDEX_KEY: 'b'.repeat(64), LEDGER_SIGNING_SEED: 'c'.repeat(64) }))).toBe(true);
    expect(refusesDemoSecrets(t.config)).toBe(false);
    const strict = await bootApp({ TOTP_REFUSE_DEMO_SECRETS: 'true' });
    try {
      const zh = await strict.http.post('/api/v1/auth/login').send({ username: 'county.reviewer', password: 'Linggong@2026' }).expect(403);
      expect(zh.body.title).toBe('该账号的两步验证使用的是公开的演示密钥，生产环境不予接受；请联系管理员重置两步验证后重新绑定');
      expect(zh.body.token).toBeUndefined();
      // A user enrolled with a secret of its own is unaffected.
      const u = await enrolled();
      await strict.http.post('/api/v1/auth/login').send({ username: u.username, password }).expect(200);
      // The seed refuses to enrol anyone with a published secret there.
      const admin = await login(t, 'admin');
      const plain = await freshCountyUser();
      await t.http.post(`/api/v1/users/${demoId('user:city.analyst')}/second-factor/reset`).set(admin.auth).expect(204);
      const log = console.log;
      console.log = () => undefined;
      try {
        expect(await enrolDemoSecondFactors(t.owner, strict.config)).toBe(0);
        const [row] = await t.owner.query(`SELECT totp_enrolled_at FROM users WHERE username = 'city.analyst'`);
        expect(row.totp_enrolled_at).toBeNull();
        // Where they are allowed, the seed enrols the demo user again (and leaves everyone else alone).
        expect(await enrolDemoSecondFactors(t.owner, t.config)).toBe(1);
      } finally {
        console.log = log;
      }
      const [again] = await t.owner.query(`SELECT totp_enrolled_at FROM users WHERE id = $1`, [plain.id]);
      expect(again.totp_enrolled_at).toBeNull();
      await login(t, 'city.analyst');
    } finally {
      await strict.close();
    }
  });
});
