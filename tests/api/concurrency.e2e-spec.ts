import { bootApp, freshTenant, login, type Session, type TestApp } from '../support/app';
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
    { op: 'jobs_ingestPost', mode: 'idempotent', what: 'a platform pushes the same post', setup: async () => postReq(`/markets/${f.market.id}/posts/external`, {
      employerId, occupation: '装卸搬运工', title: '外部平台岗位', headcount: 1, wageFen: 20000, wageUnit: 'day', period: 'same_day', startAt: at(60),
      place: '中牟县物流园', requirements: '能吃苦', source: 'third_party', platform: 'cc', externalId: `x${++n}` }) },
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
    { op: 'tenancy_updateOrganisation', mode: 'idempotent', what: 'an operator exits', setup: async () => {
      const o = await ok('post', '/organisations', sys, { kind: 'operator', name: `并发退出运营机构${Date.now().toString(36)}${++n}`, regionCode: '410122' });
      return { method: 'patch', url: `/organisations/${o.id}`, body: { status: 'exited' }, as: sys };
    } },
    { op: 'tenancy_createUser', mode: 'once', what: 'create a user (one per username)', setup: async () => postReq('/users', {
      username: `cu${Date.now().toString(36)}${++n}`.slice(0, 32), displayName: '并发用户', password: f.password, orgId: f.org.id, roles: ['front_desk'], marketIds: [f.market.id] }, sys) },
    { op: 'tenancy_updateUser', mode: 'repeatable', what: 'disable a user', setup: async () => ({ method: 'patch', url: `/users/${(await newUser(['front_desk'])).id}`, body: { status: 'disabled' }, as: sys }) },
    { op: 'tenancy_unlockUser', mode: 'repeatable', what: 'unlock a user', setup: async () => postReq(`/users/${(await newUser(['front_desk'])).id}/unlock`, {}, sys) },
    { op: 'markets_updateRegistration', mode: 'idempotent', what: 'the county changes a market\'s registration', setup: async () => {
      const m = await ok('post', '/markets', sys, { name: `中牟县零工市场（并发${++n}${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122', operatorId: f.org.id, status: 'preparing' });
      return { method: 'patch', url: `/markets/${m.id}/registration`, body: { status: 'open' }, as: sys };
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
      const m = await ok('post', '/markets', sys, { name: `中牟县零工市场（日结${++n}${Date.now() % 100000}）`, type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122', operatorId: f.org.id, status: 'open' });
      await ok('post', `/markets/${m.id}/ledger/entries`, admin, { kind: 'manual_note', occurredAt: new Date().toISOString(), title: '日结前记录', note: '', attachments: [] });
      return postReq(`/markets/${m.id}/ledger/days/${shanghaiToday()}/close`, {}, admin);
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
    { op: 'complaints_callback', mode: 'once', what: 'call the complainant back', setup: async () => postReq(`/complaints/${(await complaint(['ack', 'close'])).id}/callback`, { satisfaction: 'satisfied' }, handler) },
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
