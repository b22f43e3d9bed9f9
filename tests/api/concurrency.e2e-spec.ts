import { defaultTemplate } from '@linggong/domain';
import { bootApp, coverMarket, freshTenant, login, registerAssigned, type Session, type TestApp } from '../support/app';
import { signaturePng } from '../support/tools';

/**
 * Race-safe state changes (issue 12, finding 1). An outside probe sent twelve simultaneous `complete`
 * calls on one placement and got ten 200s and ten settlements in the work log. Every state-changing
 * route is sent here BURST times at the same instant, and the outcome must be what the same requests
 * give one after the other: the same answers (one success and 4xx problems for a one-way step; all
 * successes for an idempotent or repeatable one; never a 500) and the same effect on the database —
 * the row count of every table (work log, audit trail, child rows) and the counters a race could
 * double (no-shows, completions, hires, employer flags, reopenings, extension days).
 *
 * Each case builds its fixture twice: one copy gets the BURST requests in sequence, the other all at
 * once. The table below lists the covered routes; the last test fails when a write route appears that
 * is neither in the table nor in NOT_TRANSITIONS (with the reason it is not a state change).
 */
const BURST = 10;
type Mode = 'once' | 'idempotent' | 'repeatable';
interface Req { method: 'post' | 'patch' | 'put'; url: string; body?: Record<string, unknown>; as?: Session }
interface Case { op: string; mode: Mode; what: string; setup: () => Promise<Req> }

/** Write routes that are not state changes of an existing row, each with the reason. */
const NOT_TRANSITIONS: Record<string, string> = {
  // Assessment (issue 15): a cycle is a create (each request a new cycle with its assessments); the state changes are bursts below.
  assessment_openCycle: 'a create: each request a new cycle (its assessments with it)',
  assessment_createLocalTemplate: 'a create: each request the next local version of its name (numbered under an advisory lock)',
  // Model markets (issue 15 §5): they need a published cycle with candidates, i.e. markets with 90 days of work log — the full
  // demo's history (tests/api/assessment-demo.e2e-spec.ts builds it): proposal, designation and revocation are sent twice at
  // the same instant there (one 201/200, one 4xx; the list's row lock and the live-title unique index).
  modelMarkets_propose: 'one live title per market and level (unique index) under an advisory lock of the authority; burst in assessment-demo.e2e-spec',
  modelMarkets_designate: "locks the list and conditions on 公示 state; burst in assessment-demo.e2e-spec",
  modelMarkets_revoke: 'locks the title and conditions on designated; burst in assessment-demo.e2e-spec',
  modelMarkets_object: 'a create: each request a new objection (only during 公示, under the list\'s row lock)',
  // Third-party platforms (issue 18): bursts tested in platforms.e2e-spec.ts (three identical pushes → one post; two disables → one).
  platforms_register: 'a create: each request a new platform (a code taken twice at once: one 201, one 409 — a lock on the code)',
  platforms_rotate: 'a new secret each time on a locked row; every rotation replaces the last (platforms.e2e-spec)',
  platforms_disable: 'locked and state-conditioned: a burst gives one 200 and 409s (platforms.e2e-spec)',
  connect_pushPost: 'signed platform call, idempotent on platform + externalId under a lock (burst in platforms.e2e-spec); each call also needs a fresh nonce',
  connect_pushOutcome: 'signed platform call, idempotent on platform + step + externalId under a lock; each call needs a fresh nonce',
  identity_login: 'a session, not a business row (limits tested in auth.e2e-spec)',
  identity_logout: 'ends the caller\'s own session',
  identity_revokeAll: 'ends the caller\'s own sessions',
  identity_changePassword: 'the caller\'s own credential; each change is a new password',
  identity_loginSecondFactor: 'completes a one-time challenge: the challenge and the code step are consumed atomically (second-factor.e2e-spec)',
  identity_loginEnrol: 'completes a one-time challenge with the first code of a new secret (second-factor.e2e-spec)',
  identity_startEnrolment: 'the caller\'s own pending secret; a new start replaces the last',
  identity_confirmEnrolment: 'the caller\'s own credential, confirmed by a code that is accepted once',
  identity_regenerateRecoveryCodes: 'the caller\'s own credential; each request replaces the codes, confirmed by a code accepted once',
  tenancy_resetSecondFactor: 'an idempotent reset on a locked user row: a repeat finds nothing to remove and is audited as such',
  tenancy_createOrganisation: 'a create: each request a new organisation',
  tenancy_revealUserPhone: 'an audited read: each look is its own audit event',
  tenancy_revealOrganisationContact: 'an audited read: each look is its own audit event',
  markets_register: 'a create: each request a new market',
  registry_createEmployer: 'a create: each request a new employer',
  registry_importWorkers: 'a bulk create, checked row by row against the mobile numbers already registered',
  registry_revealWorker: 'an audited read: each look is its own audit event',
  jobs_createPost: 'a create: each request a new post for review',
  ledger_appendManual: 'a create: each request a new manual entry',
  ledger_uploadAttachment: 'content-addressed upload: the same bytes are one attachment',
  complaints_intake: 'a create: each call a new complaint',
  complaints_revealContact: 'an audited read: each look is its own audit event',
  complaints_setLimits: 'a setting (PUT): the last write wins, nothing counts',
  public_fileComplaint: 'a create: each submission a new complaint',
  events_create: 'a create: each request a new event',
  training_createDemand: 'a create: each request a new demand',
  training_createCourse: 'a create: each request a new course',
  assistance_setPackage: 'a setting (PUT): the last write wins, nothing counts',
  assistance_createServiceRecord: 'a create: each request a new service record',
  analytics_requestRun: 'a create: each request a new rollup run; the rollup itself is idempotent by (market, day)',
  directory_freeze: 'a create: each request a new version (its seq decided under an advisory lock of the province)',
  directory_createPoint: 'a create: each request a new gathering point (one name per county: a unique index)',
  oversight_commitSample: 'a create: each request a new sample (one per operator, county and period: a unique key, so repeats are 409)',
  oversight_revealContact: 'an audited read: each look is its own audit event',
  oversight_orderRectification: 'a create: each request a new rectification order',
  oversight_createPlan: 'a create: each request a new inspection plan',
  oversight_createInspection: 'a create: each request a new inspection',
  // Exit (issue 16 §4): each step conditions its UPDATE on the state it checked or takes the row lock first; bursts of two
  // identical requests at once (one success, one 409) are in tests/api/exit.e2e-spec.ts — not yet as BURST cases here.
  oversight_proposeExit: 'a create: one case in progress per operator (a partial unique index; the second is 409)',
  ...Object.fromEntries(['oversight_decideExit', 'oversight_startExit', 'oversight_openHandover', 'oversight_completeHandover', 'oversight_archiveExit']
    .map((op) => [op, 'exit: state-conditioned or locked; a burst of two in exit.e2e-spec gives one 200 and one 409'])),
  oversight_answerExit: 'exit: conditioned on no answer yet (answer IS NULL); a repeat is 409 (exit.e2e-spec)',
  oversight_signHandover: "exit: conditioned on the side's signature being empty; a repeat is 409 (exit.e2e-spec)",
};

let phone = 13300000000 + (Date.now() % 1_000_000) * 10;
const nextPhone = () => String(++phone);
const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('race-safe state changes (issue 12)', () => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof freshTenant>>;
  let sys: Session;
  let admin: Session;
  let desk: Session;
  let manager: Session;
  let handler: Session;
  let county: Session;
  let yiyang: Session;
  let luoyang: Session;
  let province: Session;
  let city: Session;
  let employerId: string;
  let fingerprintSql = '';
  let n = 0;
  const api = (p: string) => `/api/v1${p}`;

  // ── Fixtures ──────────────────────────────────────────────────────────────────────────────────
  const ok = async (method: 'post' | 'patch' | 'put', url: string, as: Session, body: Record<string, unknown> = {}) => {
    const r = await t.http[method](api(url)).set(as.auth).send(body);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  // The code on the market's gate screen (proof of presence for the public check-in, issue 12 §4).
  const gateCode = async () => (await t.http.get(api(`/markets/${f.market.id}/gate-code`)).set(desk.auth).expect(200)).body.code as string;
  const worker = async () => ok('post', `/markets/${f.market.id}/workers`, desk, { name: `并发零工${++n}`, mobile: nextPhone(), consent: true, occupations: ['装卸搬运工'] });
  const post = async (publish = true, extra: Record<string, unknown> = {}) => {
    const p = await ok('post', `/markets/${f.market.id}/posts`, desk, {
      employerId, occupation: '装卸搬运工', title: `并发测试岗位${++n}`, headcount: 5, wageFen: 20000, wageUnit: 'day', period: 'same_day',
      startAt: at(60), place: '中牟县物流园', requirements: '能吃苦', ...extra,
    });
    if (publish) await ok('post', `/posts/${p.id}/review`, admin, { decision: 'published' });
    return p;
  };
  const placement = async (stage: 'recommended' | 'confirmed' | 'started') => {
    const [p, w] = [await post(), await worker()];
    await ok('post', `/markets/${f.market.id}/check-ins`, desk, { workerId: w.id });
    const pl = await ok('post', '/placements', desk, { postId: p.id, workerId: w.id });
    if (stage !== 'recommended') await ok('post', `/placements/${pl.id}/confirm`, desk, { party: 'both' });
    if (stage === 'started') await ok('post', `/placements/${pl.id}/start`, desk, {});
    return { ...pl, workerId: w.id, postId: p.id };
  };
  const sanction = async (appealed = false) => {
    const w = await worker();
    const s = await ok('post', `/workers/${w.id}/sanctions`, admin, { kind: 'dispute', reason: '质量争议记录', notice: '质量争议告知：如有异议可在 15 日内申诉。' });
    if (appealed) await ok('post', `/sanctions/${s.id}/appeal`, desk, { statement: '我不同意这个处理' });
    return s;
  };
  const complaint = async (steps: ('ack' | 'transfer' | 'extension' | 'escalate' | 'county' | 'close')[] = []) => {
    const r = await ok('post', '/complaints', handler, { marketId: f.market.id, channel: 'hotline', category: 'dispute', content: '现场与雇主发生工钱纠纷，需要协调', anonymous: true });
    const id = r.complaint.id as string;
    let escalationId = '';
    for (const s of steps) {
      if (s === 'ack') await ok('post', `/complaints/${id}/acknowledge`, handler);
      if (s === 'transfer') await ok('post', `/complaints/${id}/transfers`, handler, { toUserId: manager.user.id, reason: '需要市场负责人协调' });
      if (s === 'extension') await ok('post', `/complaints/${id}/extensions`, handler, { workingDays: 2, reason: '等待雇主返回' });
      if (s === 'escalate' || s === 'county') {
        const c = await ok('post', `/complaints/${id}/escalations`, handler, { target: s === 'county' ? 'county_bureau' : 'police', reason: '涉及人身安全，请协助处理' });
        escalationId = c.escalations[0].id;
      }
      if (s === 'close') await ok('post', `/complaints/${id}/close`, handler, { result: 'mediated', summary: '双方已和解' });
    }
    return { id, code: r.trackingCode as string, escalationId };
  };
  const tool = async () => ok('post', `/markets/${f.market.id}/tools`, manager, {
    code: `C-${Date.now().toString(36)}-${++n}`, name: '电动冲击钻', category: 'regular', valueFen: 40000, depositFen: 5000, dailyFeeFen: 1000,
  });
  const loan = async (stage: 'requested' | 'approved' | 'lent') => {
    const [tl, w] = [await tool(), await worker()];
    const l = await ok('post', `/tools/${tl.id}/loans`, desk, { workerId: w.id, days: 2, purpose: '装修' });
    if (stage !== 'requested') await ok('post', `/tool-loans/${l.id}/decision`, manager, { decision: 'approved' });
    if (stage === 'lent') await ok('post', `/tool-loans/${l.id}/lend`, desk, { signaturePngBase64: signaturePng(++n).toString('base64') });
    return l;
  };
  const maintenance = async (approved: boolean) => {
    const tl = await tool();
    const m = await ok('post', `/tools/${tl.id}/maintenance`, desk, { kind: 'repair', reason: '电机异响', estimateFen: 3000 });
    if (approved) await ok('post', `/tool-maintenance/${m.id}/decision`, manager, { decision: 'approved' });
    return m;
  };
  const course = async () => ok('post', `/markets/${f.market.id}/training/courses`, desk, {
    title: `并发测试课程${++n}`, occupation: '电工', skill: '低压电工证', hours: 2, mode: 'classroom', free: true, completionPercent: 50, provider: '中牟县职业培训学校',
  });
  const trainingSession = async (courseId: string) => ok('post', `/training/courses/${courseId}/sessions`, desk, {
    trainer: '王建国', place: '培训室', startsAt: at(-10 - 3 * ++n), endsAt: at(120), hours: 2,
  });
  const enrolment = async (stage: 'enrolled' | 'attended' | 'completed') => {
    const [c, w] = [await course(), await worker()];
    const s = await trainingSession(c.id);
    const e = await ok('post', `/training/courses/${c.id}/enrolments`, desk, { workerId: w.id });
    if (stage !== 'enrolled') await ok('post', `/training/sessions/${s.id}/attendance`, desk, { enrolmentId: e.id, signature: PNG });
    if (stage === 'completed') await ok('post', `/training/enrolments/${e.id}/completion`, desk);
    return { enrolment: e, session: s, course: c, worker: w };
  };
  const marketEvent = async () => ok('post', `/markets/${f.market.id}/events`, admin, {
    kind: 'fair', title: `并发招聘会${++n}`, startsAt: at(-60), endsAt: at(180), place: '中牟县零工市场广场', organiser: '中牟县人社局',
  });
  const hardshipWorker = async () => {
    const w = await worker();
    await ok('post', `/workers/${w.id}/hardship`, desk, { categories: ['older_age'], consent: true, evidence: '查验身份证' });
    return w;
  };
  const plan = async () => {
    const w = await hardshipWorker();
    return ok('post', `/workers/${w.id}/assistance-plans`, desk, { goal: '实现稳定就业' });
  };
  const newUser = async (roles: string[]) => ok('post', '/users', sys, {
    username: `cc${Date.now().toString(36)}${++n}`.slice(0, 32), displayName: '并发测试', password: f.password, orgId: f.org.id, roles, marketIds: [f.market.id],
  });
  const postReq = (url: string, body: Record<string, unknown> = {}, as?: Session): Req => ({ method: 'post', url, body, as });
  // Monthly reports (issue 14): every fixture takes a month of its own (one live version per region and month).
  let reportMonth = 0;
  const freshMonth = () => { const k = reportMonth++; return `${2020 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`; };
  const TEXT = { analysis: '本月零工需求平稳，供求基本平衡。', measures: '加强岗位归集与技能培训。' };
  const draft = async (as: Session = county, month = freshMonth()) => {
    const r = await ok('post', '/reports', as, { month });
    await ok('put', `/reports/${r.id}/narrative`, as, TEXT);
    return r as { id: string; month: string };
  };
  const submittedCity = async () => {
    const y = await draft(yiyang);
    await ok('post', `/reports/${y.id}/submit`, yiyang);
    const c = await draft(luoyang, y.month);
    await ok('post', `/reports/${c.id}/submit`, luoyang);
    return c;
  };

  // ── The covered routes ────────────────────────────────────────────────────────────────────────
  const CASES: Case[] = [
    // 供求分析 (reports, issue 14)
    { op: 'reports_create', mode: 'once', what: "draft a month's report (one live version per region and month)", setup: async () => postReq('/reports', { month: freshMonth() }, county) },
    { op: 'reports_saveNarrative', mode: 'idempotent', what: "save a draft's narrative", setup: async () => ({ method: 'put', url: `/reports/${(await draft()).id}/narrative`, body: TEXT, as: county }) },
    { op: 'reports_refresh', mode: 'idempotent', what: "recompute a draft's figures", setup: async () => postReq(`/reports/${(await draft()).id}/refresh`, {}, county) },
    { op: 'reports_submit', mode: 'once', what: 'submit (freeze) a draft', setup: async () => postReq(`/reports/${(await draft()).id}/submit`, {}, county) },
    { op: 'reports_review', mode: 'once', what: "accept a city's submitted report", setup: async () => postReq(`/reports/${(await submittedCity()).id}/review`, { decision: 'accepted' }, province) },
    // 即时快招 (jobs)
    { op: 'jobs_reviewPost', mode: 'once', what: 'publish a post under review', setup: async () => postReq(`/posts/${(await post(false)).id}/review`, { decision: 'published' }, admin) },
    { op: 'jobs_withdrawPost', mode: 'once', what: 'withdraw a published post', setup: async () => postReq(`/posts/${(await post()).id}/withdraw`, { reason: '招满了不再招' }) },
    { op: 'jobs_checkIn', mode: 'idempotent', what: 'check a worker in at the desk', setup: async () => postReq(`/markets/${f.market.id}/check-ins`, { workerId: (await worker()).id }) },
    { op: 'jobs_recommend', mode: 'once', what: 'recommend a worker for a post', setup: async () => {
      const [p, w] = [await post(), await worker()];
      return postReq('/placements', { postId: p.id, workerId: w.id });
    } },
    { op: 'jobs_reissueTokens', mode: 'repeatable', what: 'new confirmation codes', setup: async () => postReq(`/placements/${(await placement('recommended')).id}/tokens`) },
    { op: 'jobs_confirm', mode: 'once', what: 'both parties confirm at the desk', setup: async () => postReq(`/placements/${(await placement('recommended')).id}/confirm`, { party: 'both' }) },
    { op: 'jobs_start', mode: 'once', what: 'work starts', setup: async () => postReq(`/placements/${(await placement('confirmed')).id}/start`) },
    { op: 'jobs_complete', mode: 'once', what: '日结 settlement of a started placement (the probe\'s case)', setup: async () =>
      postReq(`/placements/${(await placement('started')).id}/complete`, { amountPaidFen: 20000, paidBy: '赵经理', paidAt: new Date().toISOString(), method: 'cash' }) },
    { op: 'jobs_noShow', mode: 'once', what: 'the worker does not show (no-show count)', setup: async () => postReq(`/placements/${(await placement('confirmed')).id}/no-show`, { party: 'worker' }) },
    { op: 'jobs_cancel', mode: 'once', what: 'cancel a confirmed placement (hired count)', setup: async () => postReq(`/placements/${(await placement('confirmed')).id}/cancel`, { reason: '雇主临时取消' }) },
    { op: 'jobs_reportNonPayment', mode: 'once', what: 'the desk reports non-payment (employer flag)', setup: async () =>
      postReq(`/placements/${(await placement('started')).id}/non-payment`, { amountOwedFen: 20000, description: '干完活未付钱' }) },
    { op: 'public_confirm', mode: 'idempotent', what: 'the employer scans the QR after the worker confirmed', setup: async () => {
      const pl = await placement('recommended');
      await t.http.post(api(`/public/markets/${f.market.id}/confirmations/${pl.confirmTokens.worker}`)).expect(200);
      return { method: 'post', url: `/public/markets/${f.market.id}/confirmations/${pl.confirmTokens.employer}` };
    } },
    { op: 'public_reportNonPayment', mode: 'once', what: 'the worker reports non-payment by QR', setup: async () => {
      const pl = await placement('started');
      return { method: 'post', url: `/public/markets/${f.market.id}/confirmations/${pl.confirmTokens.worker}/non-payment`, body: { amountOwedFen: 20000, description: '干完活老板说下周再给' } };
    } },
    { op: 'public_checkIn', mode: 'idempotent', what: 'a registered worker checks in by QR with the gate code', setup: async () => {
      const w = await worker();
      const mobile = (await ok('post', `/workers/${w.id}/reveal`, admin, { field: 'mobile' })).value;
      return { method: 'post', url: `/public/markets/${f.market.id}/check-ins`, body: { name: w.name, mobile, consent: true, gateCode: await gateCode() } };
    } },
    { op: 'public_checkIn', mode: 'idempotent', what: 'a newcomer registers and checks in by QR (one worker, one check-in)', setup: async () =>
      ({ method: 'post', url: `/public/markets/${f.market.id}/check-ins`, body: { name: '扫码新人', mobile: nextPhone(), consent: true, gateCode: await gateCode() } }) },
    // The public job board and job push (issue 18 §1–2)
    { op: 'public_applyToPost', mode: 'idempotent', what: 'a newcomer applies online to a post (one worker, one application)', setup: async () =>
      ({ method: 'post', url: `/public/board/posts/${(await post()).id}/applications`, body: { name: '网上报名', mobile: nextPhone(), consent: true } }) },
    { op: 'jobs_recommendApplication', mode: 'once', what: 'the desk recommends an online applicant', setup: async () => {
      const p = await post();
      await t.http.post(api(`/public/board/posts/${p.id}/applications`)).send({ name: '报名推荐', mobile: nextPhone(), consent: true }).expect(200);
      const list = await t.http.get(api(`/markets/${f.market.id}/applications`)).set(desk.auth).expect(200);
      return postReq(`/applications/${list.body.items.find((i: { postId: string }) => i.postId === p.id).id}/recommend`, {});
    } },
    { op: 'jobs_declineApplication', mode: 'once', what: 'the desk declines an online application', setup: async () => {
      const p = await post();
      await t.http.post(api(`/public/board/posts/${p.id}/applications`)).send({ name: '报名回绝', mobile: nextPhone(), consent: true }).expect(200);
      const list = await t.http.get(api(`/markets/${f.market.id}/applications`)).set(desk.auth).expect(200);
      return postReq(`/applications/${list.body.items.find((i: { postId: string }) => i.postId === p.id).id}/decline`, { reason: '电话联系不上' });
    } },
    { op: 'jobs_sendPushLink', mode: 'idempotent', what: 'send an opted-in worker their push page link by SMS (one SMS a minute)', setup: async () =>
      postReq(`/workers/${(await ok('post', `/markets/${f.market.id}/workers`, desk, { name: `推送链接${++n}`, mobile: nextPhone(), consent: true, jobPush: true })).id}/push-link/send`, {}) },
    { op: 'public_pushUnsubscribe', mode: 'idempotent', what: 'a worker unsubscribes from job push on their page', setup: async () => {
      const w = await ok('post', `/markets/${f.market.id}/workers`, desk, { name: `退订${++n}`, mobile: nextPhone(), consent: true, jobPush: true });
      const link = (await t.http.get(api(`/workers/${w.id}/push-link`)).set(desk.auth).expect(200)).body;
      return { method: 'post', url: `/public/push/${link.path.replace('/w/', '')}/unsubscribe` };
    } },
    { op: 'jobs_imposeSanction', mode: 'once', what: 'remove a worker from the market', setup: async () =>
      postReq(`/workers/${(await worker()).id}/sanctions`, { kind: 'removal', reason: '多次无故爽约且拒不改正', notice: '您因多次爽约被清出市场。如有异议，可在 15 日内申诉。' }, admin) },
    { op: 'jobs_appeal', mode: 'once', what: 'lodge an appeal', setup: async () => postReq(`/sanctions/${(await sanction()).id}/appeal`, { statement: '我不同意这个处理' }) },
    { op: 'jobs_decideAppeal', mode: 'once', what: 'decide an appeal', setup: async () => postReq(`/sanctions/${(await sanction(true)).id}/decision`, { decision: 'upheld', reason: '维持原处理' }, manager) },
    { op: 'jobs_referWageArrears', mode: 'repeatable', what: 'refer wage arrears (each referral a flag)', setup: async () => postReq(`/employers/${employerId}/wage-referrals`, {
      referredTo: '劳动保障监察大队', amountOwedFen: 10000, workersAffected: 1, description: '并发测试移送', referredAt: new Date().toISOString() }, admin) },
    // Registry
    { op: 'registry_registerWorker', mode: 'once', what: 'register a worker (one per mobile)', setup: async () =>
      postReq(`/markets/${f.market.id}/workers`, { name: '并发登记', mobile: nextPhone(), consent: true }) },
    { op: 'registry_verifyEmployer', mode: 'repeatable', what: 'verify an employer (re-verification is recorded)', setup: async () => {
      const e = await ok('post', `/markets/${f.market.id}/employers`, desk, { kind: 'individual', name: `并发个体户${++n}`, contactName: '王师傅', contactPhone: nextPhone() });
      return postReq(`/employers/${e.id}/verification`, { decision: 'verified', evidence: '营业执照原件已核验' }, admin);
    } },
    // Tenancy and markets
    { op: 'tenancy_updateOrganisation', mode: 'idempotent', what: "an operator's contact changes", setup: async () => {
      const o = await ok('post', '/organisations', sys, { kind: 'operator', name: `并发运营机构${Date.now().toString(36)}${++n}`, regionCode: '410122' });
      return { method: 'patch', url: `/organisations/${o.id}`, body: { contactName: '并发联系人' }, as: sys };
    } },
    { op: 'tenancy_createUser', mode: 'once', what: 'create a user (one per username)', setup: async () => postReq('/users', {
      username: `cu${Date.now().toString(36)}${++n}`.slice(0, 32), displayName: '并发用户', password: f.password, orgId: f.org.id, roles: ['front_desk'], marketIds: [f.market.id] }, sys) },
    { op: 'tenancy_updateUser', mode: 'repeatable', what: 'disable a user', setup: async () => ({ method: 'patch', url: `/users/${(await newUser(['front_desk'])).id}`, body: { status: 'disabled' }, as: sys }) },
    { op: 'tenancy_unlockUser', mode: 'repeatable', what: 'unlock a user', setup: async () => postReq(`/users/${(await newUser(['front_desk'])).id}/unlock`, {}, sys) },
    { op: 'markets_updateRegistration', mode: 'idempotent', what: 'the county assigns a market to an operator under the contract that lists it (issue 15 §1)', setup: async () => {
      const m = await ok('post', '/markets', sys, { name: `中牟县零工市场（并发${++n}${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122', status: 'preparing' });
      await coverMarket(t, m.id, f.org.id, '410122');
      return { method: 'patch', url: `/markets/${m.id}/registration`, body: { operatorId: f.org.id, status: 'open' }, as: sys };
    } },
    { op: 'markets_updateOperations', mode: 'idempotent', what: 'the operator changes a market\'s hours', setup: async () =>
      ({ method: 'patch', url: `/markets/${f.market.id}/operations`, body: { openingHours: `周一至周日 6:${String(++n % 60).padStart(2, '0')}-18:00` }, as: admin }) },
    // Work log
    { op: 'ledger_correct', mode: 'repeatable', what: 'correct an entry (each correction a new entry)', setup: async () => {
      // A manual note: its note is a correctable field (CORRECTABLE_FIELDS in libs/domain).
      const entry = await ok('post', `/markets/${f.market.id}/ledger/entries`, manager, { kind: 'manual_note', occurredAt: new Date().toISOString(), title: '待更正记录', note: '原文', attachments: [] });
      return postReq(`/markets/${f.market.id}/ledger/entries/${entry.seq}/corrections`, { reason: '并发测试更正', payload: { note: '更正' } }, manager);
    } },
    { op: 'ledger_closeDay', mode: 'once', what: 'close (seal) a business day', setup: async () => {
      const m = await registerAssigned(t, sys, { name: `中牟县零工市场（日结${++n}${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122', operatorId: f.org.id, status: 'open' });
      await ok('post', `/markets/${m.id}/ledger/entries`, admin, { kind: 'manual_note', occurredAt: new Date().toISOString(), title: '日结前记录', note: '', attachments: [] });
      return postReq(`/markets/${m.id}/ledger/days/${shanghaiToday()}/close`, { reason: '并发测试：提前日结' }, admin);
    } },
    // Complaints
    { op: 'complaints_acknowledge', mode: 'once', what: 'acknowledge a complaint', setup: async () => postReq(`/complaints/${(await complaint()).id}/acknowledge`, {}, handler) },
    { op: 'complaints_addRecord', mode: 'repeatable', what: 'a handling record (each one recorded)', setup: async () => postReq(`/complaints/${(await complaint(['ack'])).id}/records`, { kind: 'call', content: '致电雇主协调' }, handler) },
    { op: 'complaints_notice', mode: 'repeatable', what: 'a one-time notice repeated with the same items', setup: async () => postReq(`/complaints/${(await complaint(['ack'])).id}/notices`, { items: ['身份证复印件'] }, handler) },
    { op: 'complaints_transfer', mode: 'once', what: 'ask a colleague to take over', setup: async () => postReq(`/complaints/${(await complaint(['ack'])).id}/transfers`, { toUserId: manager.user.id, reason: '需要市场负责人协调' }, handler) },
    { op: 'complaints_acceptTransfer', mode: 'once', what: 'accept a transfer', setup: async () => postReq(`/complaints/${(await complaint(['ack', 'transfer'])).id}/transfers/accept`, {}, manager) },
    { op: 'complaints_declineTransfer', mode: 'once', what: 'decline a transfer', setup: async () => postReq(`/complaints/${(await complaint(['ack', 'transfer'])).id}/transfers/decline`, {}, manager) },
    { op: 'complaints_requestExtension', mode: 'once', what: 'ask for an extension', setup: async () => postReq(`/complaints/${(await complaint(['ack'])).id}/extensions`, { workingDays: 2, reason: '等待雇主返回' }, handler) },
    { op: 'complaints_decideExtension', mode: 'once', what: 'approve an extension (extension days)', setup: async () => postReq(`/complaints/${(await complaint(['ack', 'extension'])).id}/extensions/decision`, { approve: true }, admin) },
    { op: 'complaints_escalate', mode: 'once', what: 'escalate to the police', setup: async () => postReq(`/complaints/${(await complaint(['ack'])).id}/escalations`, { target: 'police', reason: '涉及人身安全，请协助处理' }, handler) },
    { op: 'complaints_recordReferralReply', mode: 'once', what: 'record the police\'s acceptance', setup: async () => {
      const c = await complaint(['ack', 'escalate']);
      return postReq(`/complaints/${c.id}/escalations/${c.escalationId}/reply`, { step: 'accepted', note: '派出所已受理' }, handler);
    } },
    { op: 'complaints_countyReply', mode: 'once', what: 'the county accepts an escalation', setup: async () => {
      const c = await complaint(['ack', 'county']);
      return postReq(`/complaints/${c.id}/escalations/${c.escalationId}/county-reply`, { step: 'accepted', note: '县局已接收' }, county);
    } },
    { op: 'complaints_close', mode: 'once', what: 'close a complaint', setup: async () => postReq(`/complaints/${(await complaint(['ack'])).id}/close`, { result: 'mediated', summary: '双方已和解' }, handler) },
    { op: 'jobs_leaveQueue', mode: 'once', what: 'mark a waiting worker as gone from the queue', setup: async () => {
      const w = await worker();
      const c = await ok('post', `/markets/${f.market.id}/check-ins`, desk, { workerId: w.id });
      return postReq(`/check-ins/${c.entry.checkInId}/leave`, {}, desk);
    } },
    { op: 'complaints_callback', mode: 'once', what: 'call the complainant back (someone other than the closer, a while after the closure)', setup: async () => {
      const c = await complaint(['ack', 'close']);
      await t.owner.query(`UPDATE complaints SET closed_at = now() - interval '5 minutes' WHERE id = $1`, [c.id]);
      return postReq(`/complaints/${c.id}/callback`, { satisfaction: 'satisfied' }, manager);
    } },
    { op: 'complaints_reopen', mode: 'once', what: 'reopen a closed complaint (reopen count)', setup: async () => postReq(`/complaints/${(await complaint(['ack', 'close'])).id}/reopen`, { reason: '工钱仍未支付' }, handler) },
    { op: 'public_reopenComplaint', mode: 'once', what: 'the complainant reopens by tracking code', setup: async () =>
      ({ method: 'post', url: `/public/complaints/${(await complaint(['ack', 'close'])).code}/reopen`, body: { reason: '工钱仍未支付' } }) },
    // Events
    { op: 'events_setStatus', mode: 'once', what: 'cancel an event', setup: async () => postReq(`/events/${(await marketEvent()).id}/status`, { status: 'cancelled', reason: '天气原因取消' }, admin) },
    { op: 'events_recordAttendance', mode: 'repeatable', what: 'record attendance figures (each a logged revision)', setup: async () => postReq(`/events/${(await marketEvent()).id}/attendance`, { workers: 10, employers: 2 }, admin) },
    { op: 'events_linkPosts', mode: 'idempotent', what: 'link a post to an event', setup: async () => {
      const ev = await marketEvent();
      return postReq(`/events/${ev.id}/posts`, { postIds: [(await post()).id] }, admin);
    } },
    // Tools
    { op: 'tools_createTool', mode: 'once', what: 'add a tool (one per code)', setup: async () => postReq(`/markets/${f.market.id}/tools`,
      { code: `K-${Date.now().toString(36)}-${++n}`, name: '榔头', category: 'simple', valueFen: 1000, depositFen: 500 }, manager) },
    { op: 'tools_requestLoan', mode: 'once', what: 'ask to lend a tool', setup: async () => postReq(`/tools/${(await tool()).id}/loans`, { workerId: (await worker()).id, days: 2, purpose: '装修' }) },
    { op: 'tools_decideLoan', mode: 'once', what: 'approve a loan', setup: async () => postReq(`/tool-loans/${(await loan('requested')).id}/decision`, { decision: 'approved' }, manager) },
    { op: 'tools_lend', mode: 'once', what: 'hand a tool out (deposit received)', setup: async () => postReq(`/tool-loans/${(await loan('approved')).id}/lend`, { signaturePngBase64: signaturePng(++n).toString('base64') }) },
    { op: 'tools_cancelLoan', mode: 'once', what: 'cancel an approved loan', setup: async () => postReq(`/tool-loans/${(await loan('approved')).id}/cancel`) },
    { op: 'tools_return', mode: 'once', what: 'take a tool back (deposit refunded)', setup: async () => postReq(`/tool-loans/${(await loan('lent')).id}/return`, { condition: 'good' }) },
    { op: 'tools_requestMaintenance', mode: 'once', what: 'ask for a repair', setup: async () => postReq(`/tools/${(await tool()).id}/maintenance`, { kind: 'repair', reason: '电机异响', estimateFen: 3000 }) },
    { op: 'tools_decideMaintenance', mode: 'once', what: 'approve a repair', setup: async () => postReq(`/tool-maintenance/${(await maintenance(false)).id}/decision`, { decision: 'approved' }, manager) },
    { op: 'tools_completeRepair', mode: 'once', what: 'finish a repair', setup: async () => postReq(`/tool-maintenance/${(await maintenance(true)).id}/completion`, { costFen: 2500, note: '更换碳刷' }) },
    { op: 'tools_reconcile', mode: 'repeatable', what: 'check the deposits now (each check recorded)', setup: async () => postReq(`/markets/${f.market.id}/tool-reconciliations`, {}, manager) },
    // Training
    { op: 'training_createSession', mode: 'once', what: 'plan a session (sessions never overlap)', setup: async () => postReq(`/training/courses/${(await course()).id}/sessions`,
      { trainer: '王建国', place: '培训室', startsAt: at(24 * 60), endsAt: at(24 * 60 + 120), hours: 2 }) },
    { op: 'training_enrol', mode: 'once', what: 'enrol a worker', setup: async () => postReq(`/training/courses/${(await course()).id}/enrolments`, { workerId: (await worker()).id }) },
    { op: 'training_issueSessionCode', mode: 'repeatable', what: 'a new QR code for a session', setup: async () => postReq(`/training/sessions/${(await trainingSession((await course()).id)).id}/qr-code`) },
    { op: 'training_recordAttendance', mode: 'once', what: 'a trainee signs in at the desk', setup: async () => {
      const e = await enrolment('enrolled');
      return postReq(`/training/sessions/${e.session.id}/attendance`, { enrolmentId: e.enrolment.id, signature: PNG });
    } },
    { op: 'public_trainingAttend', mode: 'idempotent', what: 'a trainee signs in by the session\'s QR', setup: async () => {
      const e = await enrolment('enrolled');
      const code = (await ok('post', `/training/sessions/${e.session.id}/qr-code`, desk)).token;
      const mobile = (await ok('post', `/workers/${e.worker.id}/reveal`, admin, { field: 'mobile' })).value;
      return { method: 'post', url: `/public/training-sessions/${code}/attendance`, body: { mobile } };
    } },
    { op: 'training_complete', mode: 'once', what: 'complete a training', setup: async () => postReq(`/training/enrolments/${(await enrolment('attended')).enrolment.id}/completion`) },
    { op: 'training_issueCertificate', mode: 'once', what: 'issue a certificate', setup: async () =>
      postReq(`/training/enrolments/${(await enrolment('completed')).enrolment.id}/certificate`, { number: `CC-${Date.now().toString(36)}-${++n}`, issuedOn: shanghaiToday() }) },
    // Assistance
    { op: 'assistance_recordHardship', mode: 'repeatable', what: 'record hardship (the first records, the rest update)', setup: async () =>
      postReq(`/workers/${(await worker()).id}/hardship`, { categories: ['older_age'], consent: true, evidence: '查验身份证' }) },
    { op: 'assistance_withdrawHardship', mode: 'once', what: 'the person withdraws consent', setup: async () => postReq(`/workers/${(await hardshipWorker()).id}/hardship/withdrawal`) },
    { op: 'assistance_openPlan', mode: 'once', what: 'open an assistance plan', setup: async () => postReq(`/workers/${(await hardshipWorker()).id}/assistance-plans`, { goal: '实现稳定就业' }) },
    { op: 'assistance_addStep', mode: 'once', what: 'a follow-up that ends the plan in stable work', setup: async () => postReq(`/assistance-plans/${(await plan()).id}/steps`,
      { kind: 'follow_up', occurredAt: new Date().toISOString(), note: '上门回访', outcome: 'stable_employment', employerName: '中牟县顺达物流有限公司' }) },
    { op: 'assistance_closePlan', mode: 'once', what: 'close a plan', setup: async () => postReq(`/assistance-plans/${(await plan()).id}/closure`, { reason: '本人已外出务工' }) },
    { op: 'assistance_placePublicWelfare', mode: 'repeatable', what: 'a public-welfare post (each placement recorded)', setup: async () =>
      postReq(`/workers/${(await hardshipWorker()).id}/public-welfare-posts`, { employerName: '中牟县城关镇人民政府', postName: '社区保洁', startOn: shanghaiToday(), endOn: shanghaiToday() }) },
  ];

  // ── The market directory (issue 14): a fresh version a case, the fresh market's listing in it ──
  const directoryListing = async (state: 'pending' | 'returned' = 'pending') => {
    const v = await ok('post', '/directory/versions', province, {});
    const [l] = await t.owner.query('SELECT id FROM directory_listings WHERE version_id = $1 AND source_id = $2', [v.id, f.market.id]);
    if (state === 'returned') await ok('post', `/directory/listings/${l.id}/return`, county, { reason: '请补充运行时间' });
    return { versionId: v.id as string, listingId: l.id as string };
  };
  /** A version whose listings are all confirmed (and, for publishing, every city compiled), set up directly. */
  const directoryReady = async (compiled: boolean) => {
    const { versionId } = await directoryListing();
    await t.owner.query(`UPDATE directory_listings SET status = 'confirmed' WHERE version_id = $1`, [versionId]);
    if (compiled) await t.owner.query(`INSERT INTO directory_compilations (version_id, city_code) SELECT DISTINCT $1::uuid, left(region_code, 4) FROM directory_listings WHERE version_id = $1`, [versionId]);
    return versionId;
  };
  const point = async () => ok('post', '/directory/points', county, { regionCode: '410122', name: `中牟并发测试聚集点${++n}`, nature: 'spontaneous', address: '中牟县并发路桥下' });
  CASES.push(
    { op: 'directory_confirm', mode: 'once', what: 'the county confirms a listing', setup: async () => ({ method: 'post', url: `/directory/listings/${(await directoryListing()).listingId}/confirm`, as: county }) },
    { op: 'directory_return', mode: 'once', what: 'the county sends a listing back', setup: async () =>
      ({ method: 'post', url: `/directory/listings/${(await directoryListing()).listingId}/return`, body: { reason: '联系人电话有误，请核实' }, as: county }) },
    { op: 'directory_resubmit', mode: 'once', what: 'the operator resubmits a listing sent back', setup: async () =>
      ({ method: 'post', url: `/directory/listings/${(await directoryListing('returned')).listingId}/resubmit`, as: admin }) },
    { op: 'directory_compile', mode: 'idempotent', what: 'the city compiles (a repeat finds it compiled and adds nothing)', setup: async () =>
      ({ method: 'post', url: `/directory/versions/${await directoryReady(false)}/compile`, as: city }) },
    { op: 'directory_publish', mode: 'once', what: 'the province publishes', setup: async () => ({ method: 'post', url: `/directory/versions/${await directoryReady(true)}/publish`, as: province }) },
    { op: 'directory_updatePoint', mode: 'repeatable', what: 'the county updates a gathering point (each change audited)', setup: async () =>
      ({ method: 'post', url: `/directory/points/${(await point()).id}`, body: { note: '现场复核：人数减少' }, as: county }) },
    { op: 'directory_removePoint', mode: 'once', what: 'the county removes a gathering point', setup: async () => ({ method: 'post', url: `/directory/points/${(await point()).id}/remove`, as: county }) },
  );

  // Oversight (issue 16): samples of their own operator (a fresh tenant with one started hire, today sealed), each a
  // period of its own (the unique key is per period); orders from a reported inspection of the cc tenant.
  let sampled: { operatorId: string } | null = null;
  const sampledOperator = async () => {
    if (sampled) return sampled;
    const g = await freshTenant(t, 'ccov');
    const [ga, gd] = [await login(t, g.adminUser.username, g.password), await login(t, g.deskUser.username, g.password)];
    const e = await ok('post', `/markets/${g.market.id}/employers`, gd, { kind: 'individual', name: '并发个体户', contactName: '钱老板', contactPhone: nextPhone() });
    await ok('post', `/employers/${e.id}/verification`, ga, { decision: 'verified', evidence: '身份证原件已核验' });
    const p = await ok('post', `/markets/${g.market.id}/posts`, gd, { employerId: e.id, occupation: '装卸搬运工', title: '并发抽查岗位', headcount: 5, wageFen: 20000, wageUnit: 'day', period: 'same_day', startAt: at(60), place: '中牟县物流园' });
    await ok('post', `/posts/${p.id}/review`, ga, { decision: 'published' });
    const w = await ok('post', `/markets/${g.market.id}/workers`, gd, { name: '并发回访工', mobile: nextPhone(), consent: true });
    await ok('post', `/markets/${g.market.id}/check-ins`, gd, { workerId: w.id });
    const pl = await ok('post', '/placements', gd, { postId: p.id, workerId: w.id });
    await ok('post', `/placements/${pl.id}/confirm`, gd, { party: 'both' });
    await ok('post', `/placements/${pl.id}/start`, gd, {});
    await ok('post', `/markets/${g.market.id}/ledger/days/${shanghaiToday()}/close`, ga, { reason: '测试：提前日结' });
    return (sampled = { operatorId: g.org.id });
  };
  let sampleDay = 0;
  const callbackSample = async (stage: 'committed' | 'drawn' | 'called') => {
    const { operatorId } = await sampledOperator();
    const from = new Date(Date.now() + 8 * 3_600_000 - ++sampleDay * 86_400_000).toISOString().slice(0, 10);
    const s = await ok('post', '/callback-samples', county, { operatorId, from, to: shanghaiToday(), size: 1 });
    if (stage === 'committed') return s;
    const d = await ok('post', `/callback-samples/${s.id}/draw`, county);
    if (stage === 'called') await ok('post', `/callback-samples/${s.id}/calls/${d.calls[0].id}/outcome`, county, { outcome: 'confirmed' });
    return d;
  };
  const inspection = async () => ok('post', '/inspections', county, { operatorId: f.org.id, marketId: f.market.id, kind: 'document', scheduledOn: shanghaiToday() });
  const REPORT = { results: [{ code: 'hotline', result: 'fail' }], findings: [{ text: '未公布服务热线', severity: 'minor' }], summary: '热线未公布' };
  const rectification = async (stage: 'pending' | 'in_progress' | 'rectified' | 'verified') => {
    const i = await inspection();
    await ok('post', `/inspections/${i.id}/report`, county, REPORT);
    const r = await ok('post', '/rectifications', county, { source: { kind: 'inspection', id: i.id }, title: '公布服务热线', items: [{ text: '在门口公布热线', severity: 'minor' }], severity: 'minor', responsiblePerson: '赵经理', deadlineDays: 5 });
    const steps: [string, Session, Record<string, unknown>][] = [['start', admin, {}], ['evidence', admin, { note: '已张贴热线' }], ['verification', county, { verdict: 'pass' }]];
    const upto = { pending: 0, in_progress: 1, rectified: 2, verified: 3 }[stage];
    for (const [step, as, body] of steps.slice(0, upto)) await ok('post', `/rectifications/${r.id}/${step}`, as, body);
    return r;
  };
  // Assessment (issue 15): one evidence-only template; each fixture its own contract and cycle, for an operator of its own whose
  // market has no activity (a freeze folds the market's live day: the suite's busy market would make each freeze slow).
  let quiet: Awaited<ReturnType<typeof freshTenant>> | null = null;
  let quietAdmin: Session;
  const quietTenant = async () => {
    if (!quiet) {
      quiet = await freshTenant(t, 'cca');
      quietAdmin = await login(t, quiet.adminUser.username, quiet.password);
    }
    return quiet;
  };
  const addDays = (day: string, k: number) => new Date(Date.parse(`${day}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);
  let templateId = '';
  const TEMPLATE = { localBudget: 10, bands: defaultTemplate().bands, indicators: [
    { code: 'a', zh: '制度建设', weight: 60, evidence: { requirement: '制度文件' } }, { code: 'b', zh: '服务公示', weight: 40, evidence: { requirement: '公示照片' } }] };
  const template = async () => (templateId ||= (await ok('post', '/assessment-templates', province, { name: `并发测试指标体系${Date.now()}`, body: TEMPLATE })).id);
  const CONTRACT = () => ({
    title: '并发测试委托运营合同', termFrom: addDays(shanghaiToday(), -30), termTo: addDays(shanghaiToday(), 300), marketIds: [quiet?.market.id], amountFen: 1_000_000,
    documentSm3: 'a'.repeat(64), schedule: [{ label: '考核结算', due: shanghaiToday(), amountFen: 1_000_000, resultLinked: true }], unitRates: [],
    gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 0 },
  });
  const contract = async () => ok('post', '/contracts', county, { operatorId: (await quietTenant()).org.id, number: `CC-${Date.now().toString(36)}-${++n}`, ...CONTRACT() });
  type Stage = 'open' | 'self' | 'review' | 'reviewed' | 'published' | 'appealed';
  /** A cycle over the suite's contract, up to a stage; its one assessment (sampled: 100 %). */
  const assessed = async (stage: Stage) => {
    const c = await contract();
    const today = shanghaiToday();
    const cy = await ok('post', '/assessment-cycles', province, {
      name: `并发测试考核${++n}`, kind: 'special', templateId: await template(), periodFrom: addDays(today, -6), periodTo: today, cutoff: today,
      selfDeadline: addDays(today, 3), reviewDeadline: addDays(today, 5), appealDays: 5, samplePct: 100, contractIds: [c.id],
    });
    const order: Stage[] = ['open', 'self', 'review', 'reviewed', 'published', 'appealed'];
    const upto = order.indexOf(stage);
    if (upto >= 1) await ok('post', `/assessment-cycles/${cy.id}/freeze`, province);
    const id = (await t.http.get(api(`/assessment-cycles/${cy.id}`)).set(province.auth).expect(200)).body.assessments[0]?.id as string;
    if (upto >= 2) await ok('put', `/assessments/${id}/self-assessment`, quietAdmin, { items: [{ code: 'a', score: 50 }, { code: 'b', score: 30 }] });
    if (upto >= 3) await ok('put', `/assessments/${id}/review`, county, { items: [{ code: 'a', score: 55 }, { code: 'b', score: 35 }] });
    if (upto >= 4) {
      await ok('put', `/assessments/${id}/audit`, city, { items: [] });
      await ok('post', `/assessment-cycles/${cy.id}/publish`, province);
    }
    if (upto >= 5) await ok('post', `/assessments/${id}/appeal`, quietAdmin, { reason: '制度已上墙，有照片为证', items: ['a'] });
    return { cycleId: cy.id as string, id, contractId: c.id as string };
  };
  CASES.push(
    { op: 'assessment_createTemplate', mode: 'repeatable', what: 'the province saves template versions (the next version under an advisory lock)', setup: async () => postReq('/assessment-templates', { name: `并发版本${++n}-${Date.now()}`, body: TEMPLATE }, province) },
    { op: 'assessment_createContract', mode: 'once', what: 'the county records a contract (one number per county)', setup: async () => postReq('/contracts', { operatorId: (await quietTenant()).org.id, number: `CC1-${Date.now().toString(36)}-${++n}`, ...CONTRACT() }, county) },
    { op: 'assessment_amendContract', mode: 'once', what: 'the county amends a live contract version', setup: async () => {
      const c = await contract();
      return postReq(`/contracts/${c.id}/amendments`, { ...CONTRACT(), number: c.number, reason: '补充协议' }, county);
    } },
    { op: 'assessment_freezeCycle', mode: 'once', what: "the province freezes an open cycle's figures", setup: async () => postReq(`/assessment-cycles/${(await assessed('open')).cycleId}/freeze`, {}, province) },
    { op: 'assessment_selfAssess', mode: 'once', what: 'the operator submits its self-assessment', setup: async () => ({ method: 'put', url: `/assessments/${(await assessed('self')).id}/self-assessment`, body: { items: [{ code: 'a', score: 50 }, { code: 'b', score: 30 }] }, as: quietAdmin }) },
    { op: 'assessment_review', mode: 'once', what: 'the county reviews', setup: async () => ({ method: 'put', url: `/assessments/${(await assessed('review')).id}/review`, body: { items: [{ code: 'a', score: 55 }, { code: 'b', score: 35 }] }, as: county }) },
    { op: 'assessment_audit', mode: 'once', what: 'the city audits a sampled, reviewed assessment', setup: async () => ({ method: 'put', url: `/assessments/${(await assessed('reviewed')).id}/audit`, body: { items: [{ code: 'a', score: 50, reason: '抽查调整' }] }, as: city }) },
    { op: 'assessment_recompute', mode: 'repeatable', what: 'the opener recomputes the figures (each request a new version, under the row lock)', setup: async () => postReq(`/assessments/${(await assessed('self')).id}/recompute`, { reason: '更正后重算' }, province) },
    { op: 'assessment_publishCycle', mode: 'once', what: 'the province publishes a reviewed and audited cycle', setup: async () => {
      const a = await assessed('reviewed');
      await ok('put', `/assessments/${a.id}/audit`, city, { items: [] });
      return postReq(`/assessment-cycles/${a.cycleId}/publish`, {}, province);
    } },
    { op: 'assessment_appeal', mode: 'once', what: 'the operator appeals a published result (once)', setup: async () => postReq(`/assessments/${(await assessed('published')).id}/appeal`, { reason: '制度已上墙，有照片为证', items: ['a'] }, quietAdmin) },
    { op: 'assessment_decideAppeal', mode: 'once', what: 'the province decides an appeal', setup: async () => postReq(`/assessments/${(await assessed('appealed')).id}/appeal-decision`, { decision: 'rejected', reason: '维持原评定', items: [] }, province) },
    { op: 'assessment_approveStatement', mode: 'once', what: 'the county approves the subsidy statement', setup: async () => postReq(`/assessments/${(await assessed('published')).id}/statement/approval`, {}, county) },
  );
  CASES.push(
    { op: 'oversight_drawSample', mode: 'once', what: 'the county draws a committed sample', setup: async () => postReq(`/callback-samples/${(await callbackSample('committed')).id}/draw`, {}, county) },
    { op: 'oversight_recordOutcome', mode: 'once', what: 'the county records a call’s outcome', setup: async () => {
      const d = await callbackSample('drawn');
      return postReq(`/callback-samples/${d.id}/calls/${d.calls[0].id}/outcome`, { outcome: 'denied', note: '本人否认' }, county);
    } },
    { op: 'oversight_completeSample', mode: 'once', what: 'the county completes a called sample', setup: async () => postReq(`/callback-samples/${(await callbackSample('called')).id}/complete`, {}, county) },
    { op: 'oversight_reportInspection', mode: 'once', what: 'the county reports an inspection', setup: async () => postReq(`/inspections/${(await inspection()).id}/report`, REPORT, county) },
    { op: 'oversight_startRectification', mode: 'once', what: 'the operator starts a rectification', setup: async () => postReq(`/rectifications/${(await rectification('pending')).id}/start`, {}, admin) },
    { op: 'oversight_submitRectification', mode: 'once', what: 'the operator submits its evidence', setup: async () => postReq(`/rectifications/${(await rectification('in_progress')).id}/evidence`, { note: '已整改完毕' }, admin) },
    { op: 'oversight_verifyRectification', mode: 'once', what: 'the county verifies (fail: back to rectifying, once)', setup: async () => postReq(`/rectifications/${(await rectification('rectified')).id}/verification`, { verdict: 'fail', note: '热线号码有误' }, county) },
    { op: 'oversight_closeRectification', mode: 'once', what: 'the county closes a verified order', setup: async () => postReq(`/rectifications/${(await rectification('verified')).id}/close`, {}, county) },
  );

  // ── What a request changed ────────────────────────────────────────────────────────────────────
  /** Row counts of every table plus the counters a race could double, in one statement. */
  const fingerprint = async (): Promise<Record<string, number>> => {
    const [row] = await t.owner.query(fingerprintSql);
    return Object.fromEntries(Object.entries(row as Record<string, unknown>).map(([k, v]) => [k, Number(v ?? 0)]));
  };
  const delta = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.keys(b).filter((k) => b[k] !== a[k]).map((k) => [k, b[k] - a[k]]));
  const send = (r: Req) => {
    const req = t.http[r.method](api(r.url)).set('Accept-Language', 'en');
    return (r.as ? req.set((r.as ?? desk).auth) : r.url.startsWith('/public/') ? req : req.set(desk.auth)).send(r.body ?? {});
  };
  const outcome = (res: { status: number; headers: Record<string, string>; body: { status?: number } }) => {
    if (res.status >= 400) {
      // A refusal is a problem document with its status, never a 500.
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.status).toBe(res.status);
    }
    return res.status;
  };

  beforeAll(async () => {
    t = await bootApp();
    f = await freshTenant(t, 'cc', ['market_manager', 'complaint_handler']);
    sys = await login(t, 'admin');
    county = await login(t, 'county.reviewer');
    yiyang = await login(t, 'yiyang.reviewer');
    luoyang = await login(t, 'luoyang.analyst');
    province = await login(t, 'province.auditor');
    city = await login(t, 'city.analyst');
    admin = await login(t, f.adminUser.username, f.password);
    desk = await login(t, f.deskUser.username, f.password);
    manager = await f.signIn('market_manager');
    handler = await f.signIn('complaint_handler');
    const e = await ok('post', `/markets/${f.market.id}/employers`, desk, { kind: 'company', name: '中牟县并发物流有限公司', creditCode: '91350100M000100Y43', contactName: '赵经理', contactPhone: nextPhone() });
    employerId = e.id;
    await ok('post', `/employers/${employerId}/verification`, admin, { decision: 'verified', evidence: '营业执照原件已核验' });
    const tables: { tablename: string }[] = await t.owner.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1`);
    fingerprintSql = `SELECT ${[
      ...tables.map((x) => `(SELECT count(*) FROM "${x.tablename}") AS "${x.tablename}"`),
      '(SELECT sum(no_show_count) FROM workers) AS "workers.no_show_count"', '(SELECT sum(completed_count) FROM workers) AS "workers.completed_count"',
      '(SELECT sum(hired_count) FROM posts) AS "posts.hired_count"', '(SELECT sum(open_flags) FROM employers) AS "employers.open_flags"',
      '(SELECT sum(reopen_count) FROM complaints) AS "complaints.reopen_count"', '(SELECT sum(extension_days) FROM complaints) AS "complaints.extension_days"',
      '(SELECT sum(amount_fen) FROM tool_deposit_movements) AS "tool_deposit_movements.amount_fen"',
    ].join(', ')}`;
  });
  afterAll(() => t.close());

  it.each(CASES.map((c) => [c.op, c] as const))('%s: at the same instant as one after the other', async (_op, c) => {
    const one = await c.setup();
    const s0 = await fingerprint();
    const sequential: number[] = [];
    for (let i = 0; i < BURST; i++) sequential.push(outcome(await send(one)));
    const sequentialEffect = delta(s0, await fingerprint());

    const other = await c.setup();
    const c0 = await fingerprint();
    const concurrent = (await Promise.all(Array.from({ length: BURST }, () => send(other)))).map(outcome);
    const concurrentEffect = delta(c0, await fingerprint());

    const ok2xx = (codes: number[]) => codes.filter((s) => s < 300).length;
    expect({ op: c.op, concurrent: [...concurrent].sort(), effect: concurrentEffect }).toEqual({ op: c.op, concurrent: [...sequential].sort(), effect: sequentialEffect });
    expect(concurrent.every((s) => s < 500)).toBe(true);
    if (c.mode === 'once') expect([c.op, ok2xx(concurrent)]).toEqual([c.op, 1]);
    else expect([c.op, ok2xx(concurrent)]).toEqual([c.op, BURST]);
    // The one success of a one-way step changed something (the fixture was in the state the step leaves).
    if (c.mode === 'once') expect(Object.keys(concurrentEffect).length).toBeGreaterThan(0);
  });

  it('covers every write route: each is in the table above or in NOT_TRANSITIONS with its reason', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { operationId: string }>> };
    const writes = Object.values(doc.paths).flatMap((ops) => Object.entries(ops).filter(([m]) => ['post', 'put', 'patch', 'delete'].includes(m)).map(([, o]) => o.operationId));
    const covered = new Set([...CASES.map((c) => c.op), ...Object.keys(NOT_TRANSITIONS)]);
    expect(writes.filter((op) => !covered.has(op)).sort()).toEqual([]);
    // And nothing listed that no longer exists.
    expect([...covered].filter((op) => !writes.includes(op)).sort()).toEqual([]);
  });
});
