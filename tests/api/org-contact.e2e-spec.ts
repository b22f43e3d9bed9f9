import { bootApp, demoId, login, type TestApp } from '../support/app';

/** Organisations' contact mobiles are masked in lists and pages, revealed only by an audited call (issue 12 §10). */
describe('organisation contact mobile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  const reveals = async (orgId: string, username: string): Promise<number> => {
    const [{ n }] = await t.owner.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'personal_data.reveal' AND subject_type = 'Organisation' AND subject_id = $1 AND actor_username = $2`,
      [orgId, username],
    );
    return n;
  };

  it('is masked in every list and page, for every role', async () => {
    for (const username of ['admin', 'county.reviewer', 'province.auditor', 'op1.admin', 'op1.desk']) {
      const s = await login(t, username);
      const list = await t.http.get('/api/v1/organisations?pageSize=200').set(s.auth).expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const o of list.body.items) if (o.contactPhone) expect([username, o.contactPhone]).toEqual([username, expect.stringMatching(/^1\d{2}\*{4}\d{4}$/)]);
      expect(JSON.stringify(list.body)).not.toContain('13703710001');
    }
    const s = await login(t, 'op1.admin');
    const one = await t.http.get(`/api/v1/organisations/${demoId('op1')}`).set(s.auth).expect(200);
    expect(one.body.contactPhone).toBe('137****0001');
  });

  it('the operator admin and the supervising county reveal it, each look audited; the desk may not', async () => {
    const org = demoId('op1');
    const desk = await login(t, 'op1.desk');
    await t.http.post(`/api/v1/organisations/${org}/reveal-contact`).set(desk.auth).expect(403);
    for (const username of ['op1.admin', 'county.reviewer']) {
      const s = await login(t, username);
      const before = await reveals(org, username);
      const res = await t.http.post(`/api/v1/organisations/${org}/reveal-contact`).set(s.auth).expect(200);
      expect(res.body).toEqual({ contactPhone: '13703710001' });
      expect(await reveals(org, username)).toBe(before + 1);
    }
    // Another operator's contact is not there to reveal.
    const other = await login(t, 'op2.admin');
    await t.http.post(`/api/v1/organisations/${org}/reveal-contact`).set(other.auth).expect(404);
  });

  it('an edit that leaves the number alone keeps it', async () => {
    const admin = await login(t, 'admin');
    const org = demoId('op3');
    await t.http.patch(`/api/v1/organisations/${org}`).set(admin.auth).send({ contactName: '赵志强' }).expect(200);
    const res = await t.http.post(`/api/v1/organisations/${org}/reveal-contact`).set(admin.auth).expect(200);
    expect(res.body.contactPhone).toBe('13603710003');
  });
});
