import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, contentSecurityPolicy, loadConfig } from '@linggong/api-core';
import { bootApp, login, type TestApp } from '../support/app';

/**
 * The HTTP edge (issue 12 §3, §7, §10): whose X-Forwarded-For is believed, security headers, compression,
 * caching of the console's files, and who may read /metrics.
 */
const fresh = () => `edge${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const wrongLogin = (t: TestApp, xff: string) =>
  t.http.post('/api/v1/auth/login').set('X-Forwarded-For', xff).send({ username: 'nobody.edge', password: 'wrong-password' });

describe('trusted proxies (issue 12 §3)', () => {
  it('refuses a malformed TRUSTED_PROXIES at boot and accepts IPs, CIDRs and range names', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1,not-an-ip' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(ConfigError);
    expect(loadConfig({}).TRUSTED_PROXIES).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: ' 172.30.88.10, 10.0.0.0/8,::1,loopback ' }).TRUSTED_PROXIES).toEqual(['172.30.88.10', '10.0.0.0/8', '::1', 'loopback']);
  });

  describe('from an untrusted peer (the default: no proxies)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootApp({ LOGIN_RATE_PER_MINUTE: '3', PUBLIC_WRITE_RATE_PER_MINUTE: '2', REDIS_PREFIX: fresh() });
    });
    afterAll(() => t.close());

    it('a forged X-Forwarded-For does not reset the per-IP sign-in limit', async () => {
      for (let i = 1; i <= 3; i++) await wrongLogin(t, `198.51.100.${i}`).expect(401);
      const res = await wrongLogin(t, '198.51.100.4').expect(429);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('nor the per-IP limit of the public writes', async () => {
      const path = '/api/v1/public/markets/0190f0c0-0000-7000-8000-000000000001/check-ins';
      for (let i = 1; i <= 2; i++) {
        const r = await t.http.post(path).set('X-Forwarded-For', `203.0.113.${i}`).send({ mobile: '13800000000' });
        expect(r.status).not.toBe(429);
      }
      await t.http.post(path).set('X-Forwarded-For', '203.0.113.3').send({ mobile: '13800000000' }).expect(429);
    });
  });

  it('an audit event records the TCP peer, not a forged X-Forwarded-For', async () => {
    const t = await bootApp({ REDIS_PREFIX: fresh() });
    try {
      await t.http.post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.77').set('User-Agent', 'xff-untrusted/1')
        .send({ username: 'op1.admin', password: 'Linggong@2026' }).expect(200);
      const [row] = await t.owner.query(`SELECT host(ip) AS ip FROM audit_events WHERE action = 'auth.login.success' AND user_agent = 'xff-untrusted/1' ORDER BY occurred_at DESC LIMIT 1`);
      expect(row.ip).not.toBe('203.0.113.77');
      expect(row.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    } finally {
      await t.close();
    }
  });

  describe('from a configured proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootApp({ TRUSTED_PROXIES: 'loopback', LOGIN_RATE_PER_MINUTE: '3', REDIS_PREFIX: fresh() });
    });
    afterAll(() => t.close());

    it('counts each client address it forwards separately', async () => {
      for (let i = 0; i < 3; i++) await wrongLogin(t, '198.51.100.20').expect(401);
      await wrongLogin(t, '198.51.100.20').expect(429);
      // Another client behind the same proxy has its own budget.
      await wrongLogin(t, '198.51.100.21').expect(401);
    });

    it('and the audit event records the forwarded client address', async () => {
      await t.http.post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.78').set('User-Agent', 'xff-trusted/1')
        .send({ username: 'op1.admin', password: 'Linggong@2026' }).expect(200);
      const [row] = await t.owner.query(`SELECT host(ip) AS ip FROM audit_events WHERE action = 'auth.login.success' AND user_agent = 'xff-trusted/1' ORDER BY occurred_at DESC LIMIT 1`);
      expect(row.ip).toBe('203.0.113.78');
    });
  });
});

describe('security headers, compression and caching (issue 12 §7)', () => {
  let t: TestApp;
  let dir: string;
  const bigJs = `console.log(${JSON.stringify('零工'.repeat(4000))});\n`;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lg-console-'));
    writeFileSync(join(dir, 'index.html'), `<!doctype html><html><head><script src="main-ABCD1234.js" type="module"></script></head><body><lg-root></lg-root></body></html>`);
    writeFileSync(join(dir, 'main-ABCD1234.js'), bigJs);
    writeFileSync(join(dir, 'favicon.ico'), Buffer.alloc(64));
    t = await bootApp({ CONSOLE_DIR: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectSecurityHeaders = (h: Record<string, string>) => {
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).toContain("default-src 'self'");
    expect(h['content-security-policy']).toContain("script-src 'self'");
    expect(h['content-security-policy']).not.toMatch(/script-src[^;]*unsafe/);
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
  };

  it('sends them on API answers, problem documents, the console page and its files', async () => {
    expectSecurityHeaders((await t.http.get('/api/health').expect(200)).headers);
    expectSecurityHeaders((await t.http.get('/api/v1/auth/me').expect(401)).headers);
    expectSecurityHeaders((await t.http.get('/').expect(200)).headers);
    expectSecurityHeaders((await t.http.get('/desk').expect(200)).headers);
    expectSecurityHeaders((await t.http.get('/main-ABCD1234.js').expect(200)).headers);
    expectSecurityHeaders((await t.http.get('/api/docs').expect(200)).headers);
  });

  it('sends HSTS only when the site is served over HTTPS', async () => {
    expect((await t.http.get('/api/health')).headers['strict-transport-security']).toBeUndefined();
    const secure = await bootApp({ COOKIE_SECURE: 'true' });
    try {
      const h = (await secure.http.get('/api/health').expect(200)).headers;
      expect(h['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(h['content-security-policy']).toContain('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });

  it('serves hashed files as immutable and index.html as no-cache', async () => {
    const js = await t.http.get('/main-ABCD1234.js').expect(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await t.http.get('/').expect(200)).headers['cache-control']).toBe('no-cache');
    expect((await t.http.get('/markets/x/ledger').expect(200)).headers['cache-control']).toBe('no-cache');
    expect((await t.http.get('/favicon.ico').expect(200)).headers['cache-control']).toBe('no-cache');
  });

  it('compresses with brotli or gzip as the client asks, above 1 KiB only', async () => {
    const raw = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    };
    const br = await t.http.get('/main-ABCD1234.js').set('Accept-Encoding', 'br').buffer(true).parse(raw).expect(200);
    expect(br.headers['content-encoding']).toBe('br');
    // supertest decodes the body: it must come back whole.
    expect((br.body as Buffer).toString('utf8')).toBe(bigJs);
    const gz = await t.http.get('/api/docs-json').set('Accept-Encoding', 'gzip').buffer(true).parse(raw).expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const both = await t.http.get('/api/docs-json').set('Accept-Encoding', 'gzip, deflate, br').buffer(true).parse(raw).expect(200);
    expect(both.headers['content-encoding']).toBe('br');
    const small = await t.http.get('/api/health').set('Accept-Encoding', 'gzip, br').expect(200);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('the console behind nginx (deploy/) gets the same Content-Security-Policy and frame and referrer rules', async () => {
    const conf = readFileSync(join(__dirname, '../../deploy/docker/nginx.conf'), 'utf8');
    const api = (await t.http.get('/').expect(200)).headers;
    expect(api['content-security-policy']).toBe(Object.entries(contentSecurityPolicy(false)).map(([k, v]) => [k, ...v].join(' ')).join(';'));
    // Every location that serves the console's files sets all three (nginx drops server-level add_header
    // in a location that has its own).
    const locations = conf.split(/\n {4}location /).slice(1).map((block) => block.slice(0, block.indexOf('\n    }')))
      .map((block) => [block.split('\n')[0], block] as const).filter(([name]) => !/\/api\/|healthz|metrics/.test(name));
    expect(locations.length).toBe(3);
    for (const [name, body] of locations) {
      expect([name, /add_header Content-Security-Policy "([^"]+)" always;/.exec(body)?.[1]]).toEqual([name, api['content-security-policy']]);
      expect([name, /add_header X-Frame-Options (\S+) always;/.exec(body)?.[1]]).toEqual([name, api['x-frame-options']]);
      expect([name, /add_header Referrer-Policy (\S+) always;/.exec(body)?.[1]]).toEqual([name, api['referrer-policy']]);
    }
  });
});

describe('/metrics (issue 12 §10)', () => {
  const token = 'metrics-test-token-0123456789abcdefghij';
  it('answers 404 to everyone when no METRICS_TOKEN is configured', async () => {
    const t = await bootApp();
    try {
      await t.http.get('/metrics').expect(404);
      await t.http.get('/metrics').set('Authorization', `Bearer ${token}`).expect(404);
    } finally {
      await t.close();
    }
  });

  it('needs the bearer token when one is configured', async () => {
    const t = await bootApp({ METRICS_TOKEN: token });
    try {
      const none = await t.http.get('/metrics').expect(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
      await t.http.get('/metrics').set('Authorization', `Bearer ${token}x`).expect(401);
      await t.http.get('/metrics').set('Authorization', 'Bearer short').expect(401);
      // A signed-in user's session token is not the metrics token.
      const s = await login(t, 'admin');
      await t.http.get('/metrics').set(s.auth).expect(401);
      const ok = await t.http.get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
      expect(ok.text).toContain('linggong_http_request_duration_seconds');
    } finally {
      await t.close();
    }
  });

  it('refuses a short METRICS_TOKEN at boot and reads an empty one as none', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'too-short' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'x'.repeat(31) + ' ' })).toThrow(ConfigError);
    // docker-compose passes an unset variable as '': that means no token.
    expect(loadConfig({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
  });
});
