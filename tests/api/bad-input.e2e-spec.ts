import { signRequest } from '@linggong/api-platforms';
import { bootApp, demoId, freshTenant, login, tableCounts, type Session, type TestApp } from '../support/app';

/**
 * Bad input on every write route (issue 2, acceptance): missing fields, wrong types, overlong strings
 * and unknown fields each get a 4xx problem document with field messages, and nothing is written.
 * A write route with a request body but no VALID entry here fails the suite.
 */
const B0B0 = '00000000-0000-7000-8000-00000000b0b0';
const VALID: Record<string, { path?: string; body: Record<string, unknown> }> = {
  identity_login: { body: { username: 'admin', password: 'not-the-password' } },
  identity_changePassword: { body: { currentPassword: 'x', newPassword: 'y' } },
  identity_loginSecondFactor: { body: { challenge: 'c'.repeat(43), code: '123456' } },
  identity_loginEnrol: { body: { challenge: 'c'.repeat(43), code: '123456' } },
  identity_confirmEnrolment: { body: { code: '123456' } },
  identity_regenerateRecoveryCodes: { body: { code: '123456' } },
  tenancy_createOrganisation: { body: { kind: 'operator', name: '输入校验测试机构', regionCode: '410122' } },
  tenancy_updateOrganisation: { path: demoId('op1'), body: { name: '郑州豫才人力资源服务有限公司' } },
  tenancy_createUser: { body: { username: 'input.check', displayName: '校验', password: 'Input-Check-123', orgId: demoId('op1'), roles: ['operator_admin'], marketIds: [] } },
  tenancy_updateUser: { path: demoId('user:op1.desk'), body: { displayName: '中牟窗口 周强' } },
  markets_register: { body: { name: '中牟县零工市场（校验）', type: 'comprehensive', nature: 'public', mode: 'contracted', regionCode: '410122' } },
  markets_updateRegistration: { path: demoId('m-zhongmu'), body: { name: '中牟县零工市场' } },
  markets_updateOperations: { path: demoId('m-zhongmu'), body: { openingHours: '周一至周日 05:30-18:00（节假日不休）' } },
  ledger_appendManual: { path: demoId('m-zhongmu'), body: { kind: 'manual_patrol', occurredAt: '2026-11-20T08:00:00+08:00', title: '现场巡查', note: '秩序良好' } },
  ledger_correct: { path: `${demoId('m-zhongmu')}/1`, body: { reason: '录入错误', payload: { title: '现场巡查（更正）' } } },
  reports_create: { body: { month: '2026-11' } },
  reports_saveNarrative: { path: B0B0, body: { analysis: '本月零工需求平稳，供求基本平衡。', measures: '加强岗位归集与技能培训。' } },
  reports_review: { path: B0B0, body: { decision: 'returned', reason: '请补充分行业分析。' } },
  ledger_closeDay: { path: `${demoId('m-zhongmu')}/2026-11-20`, body: { reason: '停电，提前收市' } },
  analytics_requestRun: { body: { marketId: demoId('m-zhongmu'), from: '2026-11-01', to: '2026-11-02' } },
  ledger_uploadAttachment: { body: { filename: 'a.jpg', mime: 'image/jpeg', contentBase64: 'aGVsbG8=' } },
  registry_registerWorker: { path: demoId('m-zhongmu'), body: { name: '张三', mobile: '13912340000', consent: true } },
  registry_revealWorker: { path: demoId('m-zhongmu'), body: { field: 'mobile' } },
  registry_importWorkers: { path: demoId('m-zhongmu'), body: { file: 'aGVsbG8=' } },
  registry_createEmployer: { path: demoId('m-zhongmu'), body: { kind: 'company', name: '中牟县某建筑劳务有限公司', creditCode: '91350100M000100Y43', contactName: '李经理', contactPhone: '13912345670' } },
  registry_verifyEmployer: { path: demoId('m-zhongmu'), body: { decision: 'verified', evidence: '营业执照已核验' } },
  jobs_createPost: { path: demoId('m-zhongmu'), body: { employerId: '00000000-0000-7000-8000-00000000b0b0', occupation: '装卸搬运工', title: '卸货', headcount: 2, wageFen: 20000, wageUnit: 'day', period: 'same_day', startAt: '2026-11-23T07:00:00+08:00', place: '物流园' } },
  jobs_reviewPost: { path: '00000000-0000-7000-8000-00000000b0b0', body: { decision: 'rejected', reason: '信息不实' } },
  jobs_withdrawPost: { path: '00000000-0000-7000-8000-00000000b0b0', body: { reason: '已招满' } },
  jobs_checkIn: { path: demoId('m-zhongmu'), body: { workerId: '00000000-0000-7000-8000-00000000b0b0' } },
  jobs_recommend: { body: { postId: '00000000-0000-7000-8000-00000000b0b0', workerId: '00000000-0000-7000-8000-00000000b0b0' } },
  jobs_confirm: { path: '00000000-0000-7000-8000-00000000b0b0', body: { party: 'both' } },
  jobs_start: { path: '00000000-0000-7000-8000-00000000b0b0', body: { startedAt: '2026-11-22T07:00:00+08:00' } },
  jobs_complete: { path: '00000000-0000-7000-8000-00000000b0b0', body: { amountPaidFen: 20000, paidBy: '赵经理', paidAt: '2026-11-22T17:00:00+08:00', method: 'cash' } },
  jobs_noShow: { path: '00000000-0000-7000-8000-00000000b0b0', body: { party: 'worker' } },
  jobs_cancel: { path: '00000000-0000-7000-8000-00000000b0b0', body: { reason: '雇主改期' } },
  jobs_reportNonPayment: { path: '00000000-0000-7000-8000-00000000b0b0', body: { amountOwedFen: 20000, description: '未付工钱' } },
  jobs_imposeSanction: { path: '00000000-0000-7000-8000-00000000b0b0', body: { kind: 'dispute', reason: '质量争议', notice: '质量争议告知书：可在 15 日内申诉' } },
  jobs_appeal: { path: '00000000-0000-7000-8000-00000000b0b0', body: { statement: '我不同意' } },
  jobs_decideAppeal: { path: '00000000-0000-7000-8000-00000000b0b0', body: { decision: 'upheld', reason: '维持原处理' } },
  jobs_referWageArrears: { path: '00000000-0000-7000-8000-00000000b0b0', body: { referredTo: '劳动监察大队', amountOwedFen: 10000, workersAffected: 1, description: '拖欠工资', referredAt: '2026-11-20T09:00:00+08:00' } },
  // Complaints (issue 6)
  complaints_intake: { body: { marketId: demoId('m-zhongmu'), channel: 'hotline', category: 'wage_arrears', content: '老板拖欠三天工资', anonymous: true } },
  complaints_setLimits: { path: '41', body: { limits: { wage_arrears: 5 } } },
  complaints_revealContact: { path: '00000000-0000-7000-8000-00000000b0b0', body: { field: 'mobile' } },
  complaints_addRecord: { path: '00000000-0000-7000-8000-00000000b0b0', body: { kind: 'call', content: '电话联系投诉人' } },
  complaints_notice: { path: '00000000-0000-7000-8000-00000000b0b0', body: { items: ['工资条'] } },
  complaints_transfer: { path: '00000000-0000-7000-8000-00000000b0b0', body: { toUserId: '00000000-0000-7000-8000-00000000b0b0', reason: '转交处理' } },
  complaints_requestExtension: { path: '00000000-0000-7000-8000-00000000b0b0', body: { workingDays: 5, reason: '需要调查取证' } },
  complaints_decideExtension: { path: '00000000-0000-7000-8000-00000000b0b0', body: { approve: true } },
  complaints_escalate: { path: '00000000-0000-7000-8000-00000000b0b0', body: { target: 'county_bureau', reason: '需要县局协调' } },
  complaints_recordReferralReply: { path: `${'00000000-0000-7000-8000-00000000b0b0'}/00000000-0000-7000-8000-00000000b0b1`, body: { step: 'accepted', note: '已受理' } },
  complaints_countyReply: { path: `${'00000000-0000-7000-8000-00000000b0b0'}/00000000-0000-7000-8000-00000000b0b1`, body: { step: 'accepted', note: '已受理' } },
  complaints_close: { path: '00000000-0000-7000-8000-00000000b0b0', body: { result: 'mediated', summary: '调解达成一致' } },
  complaints_callback: { path: '00000000-0000-7000-8000-00000000b0b0', body: { satisfaction: 'satisfied' } },
  complaints_reopen: { path: '00000000-0000-7000-8000-00000000b0b0', body: { reason: '问题没有解决' } },
  public_fileComplaint: { path: demoId('m-zhongmu'), body: { category: 'wage_arrears', content: '老板拖欠三天工资', anonymous: true } },
  public_reopenComplaint: { path: 'ABCDEFGHJK', body: { reason: '问题没有解决' } },
  // Tool rental (R-B11).
  tools_createTool: { path: demoId('m-zhongmu'), body: { code: 'BI-1', name: '电动冲击钻', category: 'regular', valueFen: 40000, depositFen: 5000, dailyFeeFen: 1000 } },
  tools_requestLoan: { path: '00000000-0000-7000-8000-00000000b0b0', body: { workerId: '00000000-0000-7000-8000-00000000b0b0', days: 1, purpose: '装修' } },
  tools_requestMaintenance: { path: '00000000-0000-7000-8000-00000000b0b0', body: { kind: 'repair', reason: '更换钻头', estimateFen: 2000 } },
  tools_decideLoan: { path: '00000000-0000-7000-8000-00000000b0b0', body: { decision: 'rejected', note: '库存不足，改日再借' } },
  tools_lend: { path: '00000000-0000-7000-8000-00000000b0b0', body: { signaturePngBase64: 'iVBORw0KGgo'.padEnd(120, 'A') } },
  tools_return: { path: '00000000-0000-7000-8000-00000000b0b0', body: { condition: 'damaged', inspectionNote: '钻头崩口', damageFen: 2000 } },
  tools_decideMaintenance: { path: '00000000-0000-7000-8000-00000000b0b0', body: { decision: 'approved', note: '同意维修' } },
  tools_completeRepair: { path: '00000000-0000-7000-8000-00000000b0b0', body: { costFen: 1800, note: '已更换' } },
  assistance_recordHardship: { path: '00000000-0000-7000-8000-00000000b0b0', body: { categories: ['older_age'], consent: true, evidence: '查验残疾证' } },
  assistance_openPlan: { path: '00000000-0000-7000-8000-00000000b0b0', body: { goal: '实现稳定就业', note: '' } },
  assistance_placePublicWelfare: { path: '00000000-0000-7000-8000-00000000b0b0', body: { employerName: '某街道办事处', postName: '社区保洁', startOn: '2026-12-01', endOn: '2027-11-30', note: '' } },
  assistance_addStep: { path: '00000000-0000-7000-8000-00000000b0b0', body: { kind: 'training', occurredAt: '2026-11-20T09:00:00+08:00', note: '报名参加', courseName: '家政服务员' } },
  assistance_closePlan: { path: '00000000-0000-7000-8000-00000000b0b0', body: { reason: '本人迁居外地' } },
  assistance_setPackage: { path: '41', body: { guidance: 1, referrals: 3, training: 1, followUpDays: 30, behindDays: 60 } },
  assistance_createServiceRecord: { path: demoId('m-zhongmu'), body: { kind: 'policy_consultation', workerId: '00000000-0000-7000-8000-00000000b0b0', occurredAt: '2026-11-20T09:00:00+08:00', channel: 'desk', summary: '咨询社保补贴', outcome: '' } },
  public_checkIn: { path: demoId('m-zhongmu'), body: { name: '张三', mobile: '13912340000', consent: true, gateCode: '000000' } },
  public_applyToPost: { path: '00000000-0000-7000-8000-00000000b0b0', body: { name: '张三', mobile: '13912340000', consent: true } },
  jobs_declineApplication: { path: '00000000-0000-7000-8000-00000000b0b0', body: { reason: '电话联系不上' } },
  public_reportNonPayment: { path: `${demoId('m-zhongmu')}/aaaaaaaaaaaaaaaaaaaaaaaa`, body: { amountOwedFen: 20000, description: '未付工钱' } },
  // Training and events (issue 5).
  training_createDemand: { path: demoId('m-zhongmu'), body: { workerId: B0B0, occupation: '电工', skill: '低压电工证' } },
  training_createCourse: { path: demoId('m-zhongmu'), body: { title: '低压电工实操', occupation: '电工', hours: 6, mode: 'classroom', free: true } },
  training_createSession: { path: B0B0, body: { trainer: '王建国', place: '培训室', startsAt: '2026-11-23T09:00:00+08:00', endsAt: '2026-11-23T11:00:00+08:00', hours: 2 } },
  training_enrol: { path: B0B0, body: { workerId: B0B0 } },
  training_recordAttendance: { path: B0B0, body: { enrolmentId: B0B0, signature: 'data:image/png;base64,iVBORw0KGgo=' } },
  training_issueCertificate: { path: B0B0, body: { number: 'ZM-2026-0001', issuedOn: '2026-11-20' } },
  public_trainingAttend: { path: 'aaaaaaaaaaaaaaaaaaaaaaaa', body: { mobile: '13912340000' } },
  // Third-party platforms (issue 18): registration, and the signed calls (signed here with a platform registered in beforeAll).
  platforms_register: { body: { code: 'badinput', name: '输入校验平台', marketIds: [demoId('m-zhongmu')], scopes: ['posts:write'] } },
  platforms_disable: { path: B0B0, body: { reason: '停止合作' } },
  connect_pushPost: { body: { marketId: demoId('m-zhongmu'), externalId: 'x1', employerId: B0B0, occupation: '装卸搬运工', title: '卸货', headcount: 2, wageFen: 20000, wageUnit: 'day', period: 'same_day', startAt: '2026-11-23T07:00:00+08:00', place: '物流园' } },
  connect_pushOutcome: { body: { marketId: demoId('m-zhongmu'), step: 'hire', externalId: 'h1', occurredAt: '2026-11-23T07:00:00+08:00' } },
  events_create: { path: demoId('m-zhongmu'), body: { kind: 'fair', title: '专场招聘会', startsAt: '2026-11-23T09:00:00+08:00', endsAt: '2026-11-23T12:00:00+08:00', place: '市场广场' } },
  events_setStatus: { path: B0B0, body: { status: 'cancelled', reason: '天气原因' } },
  events_recordAttendance: { path: B0B0, body: { workers: 100, employers: 10 } },
  events_linkPosts: { path: B0B0, body: { postIds: [B0B0] } },
  // Assessment (issue 15).
  assessment_createContract: { body: { operatorId: demoId('op1'), number: 'BAD-1', title: '校验合同', termFrom: '2026-01-01', termTo: '2026-12-31', marketIds: [demoId('m-zhongmu')], amountFen: 100, documentSm3: 'a'.repeat(64),
    schedule: [{ label: '一期', due: '2026-03-31', amountFen: 100, resultLinked: true }], unitRates: [], gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 0 } } },
  assessment_amendContract: { path: B0B0, body: { number: 'BAD-1', title: '校验合同', termFrom: '2026-01-01', termTo: '2026-12-31', marketIds: [demoId('m-zhongmu')], amountFen: 100, documentSm3: 'a'.repeat(64),
    schedule: [{ label: '一期', due: '2026-03-31', amountFen: 100, resultLinked: true }], unitRates: [], gradeFactors: { excellent: 100, good: 90, fair: 70, poor: 0 }, reason: '补充协议' } },
  assessment_createLocalTemplate: { path: B0B0, body: { name: '校验本地模板', body: { localBudget: 0, bands: [{ grade: 'poor', min: 0, max: 100, consequence: 'none' }], indicators: [{ code: 'a', zh: '甲', weight: 100, evidence: { requirement: '材料' } }] } } },
  assessment_createTemplate: { body: { name: '校验模板', body: { localBudget: 0, bands: [{ grade: 'poor', min: 0, max: 100, consequence: 'none' }], indicators: [{ code: 'a', zh: '甲', weight: 100, evidence: { requirement: '材料' } }] } } },
  assessment_openCycle: { body: { name: '校验周期', kind: 'special', templateId: B0B0, periodFrom: '2026-01-01', periodTo: '2026-03-31', cutoff: '2026-04-05', selfDeadline: '2026-04-10', reviewDeadline: '2026-04-20', appealDays: 5, samplePct: 30, contractIds: [B0B0] } },
  assessment_selfAssess: { path: B0B0, body: { items: [{ code: 'a', score: 1, explanation: '说明', evidence: [] }] } },
  assessment_review: { path: B0B0, body: { items: [{ code: 'a', score: 1, comment: '意见' }] } },
  assessment_audit: { path: B0B0, body: { items: [{ code: 'a', score: 1, reason: '抽查调整' }] } },
  assessment_appeal: { path: B0B0, body: { reason: '我们认为评分有误', items: [] } },
  assessment_decideAppeal: { path: B0B0, body: { decision: 'rejected', reason: '维持原结果', items: [] } },
  assessment_recompute: { path: B0B0, body: { reason: '重新计算' } },
  // Model markets (issue 15 §5).
  modelMarkets_propose: { body: { cycleId: B0B0, title: '示范零工市场拟认定名单', noticeDays: 7, minGrade: 'excellent' } },
  modelMarkets_object: { path: B0B0, body: { marketId: B0B0, channel: 'letter', content: '来信反映公示栏未更新' } },
  modelMarkets_designate: { path: B0B0, body: { decisions: [{ marketId: B0B0, keep: false, reason: '异议属实' }] } },
  modelMarkets_revoke: { path: B0B0, body: { reason: '虚报招聘人数，撤销称号' } },
  // The market directory (issue 14).
  directory_freeze: { body: { quarter: '2026Q4' } },
  directory_return: { path: B0B0, body: { reason: '运行时间未填写，请补充' } },
  directory_createPoint: { body: { regionCode: '410122', name: '中牟县校验路桥下零工聚集点', nature: 'spontaneous', address: '中牟县校验路桥下' } },
  directory_updatePoint: { path: B0B0, body: { name: '中牟县校验路桥下零工聚集点' } },
  // Oversight (issue 16).
  oversight_commitSample: { body: { operatorId: demoId('op1'), from: '2026-11-01', to: '2026-11-30', size: 20 } },
  oversight_revealContact: { path: B0B0, body: { workerId: B0B0 } },
  oversight_recordOutcome: { path: `${B0B0}/00000000-0000-7000-8000-00000000b0b1`, body: { outcome: 'denied', note: '本人称当天未上岗' } },
  oversight_orderRectification: { body: { source: { kind: 'inspection', id: B0B0 }, title: '服务设施整改', items: [{ text: '增设饮水设施', severity: 'major' }], severity: 'major', responsiblePerson: '王建国', deadlineDays: 10 } },
  oversight_startRectification: { path: B0B0, body: { note: '已安排整改' } },
  oversight_submitRectification: { path: B0B0, body: { note: '已增设饮水机', attachments: [] } },
  oversight_verifyRectification: { path: B0B0, body: { verdict: 'fail', note: '现场未见饮水设施' } },
  oversight_closeRectification: { path: B0B0, body: { note: '整改到位' } },
  oversight_createPlan: { body: { kind: 'annual', title: '2027 年度零工市场督导检查计划', from: '2027-01-01', to: '2027-12-31' } },
  oversight_createInspection: { body: { operatorId: demoId('op1'), kind: 'on_site', scheduledOn: '2026-12-10' } },
  oversight_proposeExit: { body: { operatorId: demoId('op3'), grounds: ['failed_callback'], reason: '抽查回访一致率低于阈值且整改不通过', answerDays: 5 } },
  oversight_decideExit: { path: B0B0, body: { decision: 'approved', note: '同意退出' } },
  oversight_answerExit: { path: B0B0, body: { text: '对评估结果有异议，请求复核' } },
  oversight_openHandover: { path: B0B0, body: { marketId: demoId('m-zhongmu'), successorId: demoId('op2'), contractId: B0B0 } },
  oversight_signHandover: { path: B0B0, body: { side: 'outgoing', note: '清单核对无误' } },
  oversight_reportInspection: { path: B0B0, body: { results: [{ code: 'hotline', result: 'pass' }], findings: [], summary: '检查情况良好' } },
};

interface Op { operationId: string; requestBody?: { content: Record<string, { schema: { properties?: Record<string, { type?: string | string[]; maxLength?: number }>; required?: string[] } }> } }

describe('bad input on every write route', () => {
  let t: TestApp;
  let admin: Session;
  let writes: { method: string; path: string; op: Op }[];
  let platform: { appKey: string; secret: string };

  beforeAll(async () => {
    t = await bootApp();
    admin = await login(t, 'admin');
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, Op>> };
    platform = (await t.http.post('/api/v1/platforms').set(admin.auth).send({ code: `bi${Date.now().toString(36)}`, name: '输入校验签名平台', marketIds: [demoId('m-zhongmu')], scopes: ['posts:write', 'outcomes:write', 'posts:read'], ratePerMinute: 6000 }).expect(201)).body;
    writes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).filter(([, op]) => op.requestBody).map(([method, op]) => ({ method, path, op })));
  });
  afterAll(() => t.close());

  /**
   * A request as the route's caller makes it: signed-in staff with the admin's token, a platform's signed call (the
   * `connect_` routes: the signature is checked before the body, so only a signed request reaches validation).
   */
  const fire = (operationId: string, method: string, url: string, body: unknown, lang: string) => {
    const req = (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url).set('Accept-Language', lang);
    if (!operationId.startsWith('connect_')) return body === undefined ? req.set(admin.auth) : req.set(admin.auth).send(body as object);
    const raw = body === undefined ? '' : JSON.stringify(body);
    req.set(signRequest({ appKey: platform.appKey, secret: platform.secret, method: method.toUpperCase(), path: url, body: raw }));
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(raw);
  };

  it('knows a valid body for every write route', () => {
    expect(writes.length).toBeGreaterThanOrEqual(9);
    expect(writes.map((w) => w.op.operationId).filter((id) => !VALID[id])).toEqual([]);
  });

  it('answers each fault with 400, a problem document naming the field, and writes nothing', async () => {
    const before = await tableCounts(t);
    const failures: string[] = [];
    const check = async (w: (typeof writes)[number], body: unknown, field: string, what: string, lang = 'zh-CN') => {
      const params = (VALID[w.op.operationId].path ?? '').split('/');
      const url = w.path.replace(/\{[^}]+\}/g, () => params.shift() ?? '');
      const res = await fire(w.op.operationId, w.method, url, body, lang);
      const fields = (res.body.errors ?? []).map((e: { field: string }) => e.field);
      const ok = res.status === 400 && /problem\+json/.test(String(res.headers['content-type']))
        && typeof res.body.title === 'string' && fields.some((f: string) => f === field || f.startsWith(`${field}.`) || (field === '*' && f));
      if (!ok) failures.push(`${w.op.operationId} ${what}: ${res.status} ${JSON.stringify(res.body)}`);
      if (ok && res.body.errors.some((e: { message: string }) => !e.message || /^[a-z_]+$/.test(e.message))) {
        failures.push(`${w.op.operationId} ${what}: untranslated message ${JSON.stringify(res.body.errors)}`);
      }
    };
    for (const w of writes) {
      const valid = VALID[w.op.operationId].body;
      const schema = w.op.requestBody?.content['application/json'].schema ?? {};
      const props = schema.properties ?? {};
      for (const req of schema.required ?? []) {
        const { [req]: _omitted, ...rest } = valid;
        await check(w, rest, req, `missing ${req}`);
      }
      for (const [name, p] of Object.entries(props)) {
        const type = Array.isArray(p.type) ? p.type[0] : p.type;
        const wrong = type === 'string' ? 12345 : type === 'array' ? 'not-a-list' : type === 'number' || type === 'integer' ? 'not-a-number' : type === 'object' ? 'x' : { nested: true };
        await check(w, { ...valid, [name]: wrong }, name, `wrong type for ${name}`);
        if (type === 'string') await check(w, { ...valid, [name]: '长'.repeat(5000) }, name, `overlong ${name}`);
      }
      await check(w, { ...valid, unexpectedField: 1 }, 'body', 'unknown field');
      await check(w, { ...valid, unexpectedField: 1 }, 'body', 'unknown field (en)', 'en');
    }
    expect(failures).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
  });

  /** Every string leaf of a body, as a path and its value (arrays and nested objects included). */
  const stringLeaves = (v: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: string }[] =>
    typeof v === 'string' ? [{ path, value: v }]
      : Array.isArray(v) ? v.flatMap((x, i) => stringLeaves(x, [...path, i]))
        : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => stringLeaves(x, [...path, k])) : [];
  const setAt = (body: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> => {
    const copy = JSON.parse(JSON.stringify(body));
    let o = copy;
    for (const k of path.slice(0, -1)) o = o[k];
    o[path[path.length - 1]] = value;
    return copy;
  };
  const send = (w: { method: string; path: string; op: Op }, url: string, body?: object, lang = 'zh-CN') => fire(w.op.operationId, w.method, url, body, lang);
  const urlOf = (w: { path: string; op: Op }) => {
    const params = (VALID[w.op.operationId].path ?? '').split('/');
    return w.path.replace(/\{[^}]+\}/g, () => params.shift() ?? '');
  };

  it('refuses a C0 control character (NUL, ESC, …) in every text field of every write route with 400, not 500 (issue 12, finding 9)', async () => {
    const before = await tableCounts(t);
    const failures: string[] = [];
    let probes = 0;
    for (const w of writes) {
      const valid = VALID[w.op.operationId].body;
      const props = w.op.requestBody?.content['application/json'].schema.properties ?? {};
      const leaves = stringLeaves(valid);
      // String fields the valid body leaves out are probed too.
      for (const [name, p] of Object.entries(props)) {
        const type = Array.isArray(p.type) ? p.type[0] : p.type;
        if (type === 'string' && !(name in valid)) leaves.push({ path: [name], value: '正常内容' });
      }
      for (const leaf of leaves) {
        for (const bad of ['\u0000', '\u001b', '\u0007']) {
          probes++;
          const res = await send(w, urlOf(w), setAt(valid, leaf.path, `${leaf.value.slice(0, 2)}${bad}${leaf.value.slice(2)}`));
          const field = leaf.path.join('.');
          const fields = (res.body.errors ?? []).map((e: { field: string }) => e.field);
          if (res.status !== 400 || !fields.includes(field) || !/problem\+json/.test(String(res.headers['content-type']))) {
            failures.push(`${w.op.operationId} ${field} ${JSON.stringify(bad)}: ${res.status} ${JSON.stringify(res.body)}`);
          }
        }
      }
    }
    expect(probes).toBeGreaterThan(150);
    expect(failures).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('refuses NUL in every string query parameter of every read route, and explains it in the caller\'s language', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, Op & { parameters?: { name: string; in: string; schema?: { type?: string; enum?: unknown[] } }[] }>> };
    const failures: string[] = [];
    let probes = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      const op = methods['get'];
      if (!op?.parameters) continue;
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      // Path values: any id is a well-formed UUID; other path parameters are skipped (tokens, codes).
      if (pathParams.some((p) => !/id$/i.test(p.name))) continue;
      const url = path.replace(/\{[^}]+\}/g, B0B0);
      for (const q of op.parameters.filter((p) => p.in === 'query' && p.schema?.type === 'string')) {
        probes++;
        const res = await fire(String(op.operationId), 'get', `${url}?${new URLSearchParams({ [q.name]: 'ab\u0000cd' })}`, undefined, 'en');
        const fields = (res.body.errors ?? []).map((e: { field: string }) => e.field);
        if (res.status !== 400 || !fields.includes(q.name)) failures.push(`${op.operationId} ?${q.name}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(probes).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    const zh = await t.http.get('/api/v1/organisations').query({ q: 'ab\u0000cd' }).set(admin.auth).expect(400);
    expect(zh.body.errors).toEqual([{ field: 'q', message: '不能包含控制字符（如空字符），请删除后重新输入' }]);
  });

  it('answers a NUL or an inherited property name in any path parameter with a 4xx, not 500', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, Op & { parameters?: { name: string; in: string }[] }>> };
    const failures: string[] = [];
    let probes = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      if (!names.length) continue;
      for (const [method, op] of Object.entries(methods)) {
        for (const bad of ['ab%00cd', '%00', 'constructor', '__proto__', '%E2%80%AEab']) {
          // Each parameter in turn gets the bad value; the others a well-formed id.
          for (const target of names) {
            probes++;
            const url = path.replace(/\{([^}]+)\}/g, (_, n) => (n === target ? bad : B0B0));
            const body = VALID[op.operationId]?.body ?? {};
            const req = (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url).set(admin.auth);
            const res = method === 'get' || method === 'delete' ? await req : await req.send(body);
            if (res.status >= 500) failures.push(`${op.operationId} {${target}}=${bad}: ${res.status}`);
          }
        }
      }
    }
    expect(probes).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it('allows line feeds and tabs in multi-line text only', async () => {
    const f = await freshTenant(t, 'ml');
    const d = await login(t, f.deskUser.username, f.password);
    const marketId = f.market.id;
    const note = await t.http.post(`/api/v1/markets/${marketId}/ledger/entries`).set(d.auth)
      .send({ ...VALID['ledger_appendManual'].body, occurredAt: new Date().toISOString(), note: '第一行\n第二行\t备注' });
    expect(note.status).toBe(201);
    expect(note.body.payload.note).toBe('第一行\n第二行\t备注');
    const title = await t.http.post(`/api/v1/markets/${marketId}/ledger/entries`).set(d.auth)
      .send({ ...VALID['ledger_appendManual'].body, occurredAt: new Date().toISOString(), title: '现场\n巡查' }).expect(400);
    expect(title.body.errors.map((e: { field: string }) => e.field)).toEqual(['title']);
    const cr = await t.http.post(`/api/v1/markets/${marketId}/ledger/entries`).set(d.auth)
      .send({ ...VALID['ledger_appendManual'].body, occurredAt: new Date().toISOString(), note: '回车\r符' }).expect(400);
    expect(cr.body.errors.map((e: { field: string }) => e.field)).toEqual(['note']);
  });

  it('refuses direction overrides and zero-width characters in names and titles (issue 12, finding 10)', async () => {
    const NAMES: [string, string][] = [
      ['tenancy_createOrganisation', 'name'], ['tenancy_updateOrganisation', 'contactName'], ['tenancy_createUser', 'displayName'],
      ['tenancy_updateUser', 'displayName'], ['registry_registerWorker', 'name'], ['registry_createEmployer', 'name'],
      ['registry_createEmployer', 'contactName'], ['jobs_createPost', 'title'], ['ledger_appendManual', 'title'],
      ['ledger_uploadAttachment', 'filename'], ['training_createCourse', 'title'], ['training_createSession', 'trainer'],
      ['events_create', 'title'], ['tools_createTool', 'name'], ['public_checkIn', 'name'], ['public_applyToPost', 'name'], ['complaints_intake', 'name'],
      ['assistance_placePublicWelfare', 'employerName'],
    ];
    const INVISIBLE = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
    const before = await tableCounts(t);
    const failures: string[] = [];
    for (const [operationId, field] of NAMES) {
      const w = writes.find((x) => x.op.operationId === operationId);
      if (!w) { failures.push(`${operationId}: no such route`); continue; }
      const valid = VALID[operationId].body;
      const base = typeof valid[field] === 'string' ? String(valid[field]) : '张三丰';
      for (const c of INVISIBLE) {
        const res = await send(w, urlOf(w), { ...valid, [field]: `${base.slice(0, 1)}${c}${base.slice(1)}` }, 'en');
        const err = (res.body.errors ?? []).find((e: { field: string }) => e.field === field);
        if (res.status !== 400 || !err || !/invisible|direction/.test(err.message)) failures.push(`${operationId} ${field} U+${c.charCodeAt(0).toString(16)}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('answers an inherited property name as a sort key with 400, not 500 (issue 12, finding 9)', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[] }>> };
    const sorted = Object.entries(doc.paths).filter(([path, m]) => m['get']?.parameters?.some((p) => p.name === 'sort') && !path.includes('{'));
    expect(sorted.length).toBeGreaterThanOrEqual(4);
    const failures: string[] = [];
    for (const [path, m] of sorted) {
      for (const sort of ['constructor', '-constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'nonexistent']) {
        const res = await t.http.get(path).query({ sort }).set(admin.auth).set('Accept-Language', 'en');
        if (res.status >= 500) failures.push(`${m['get'].operationId} sort=${sort}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    for (const [path, good] of [['/api/v1/organisations', '-createdAt'], ['/api/v1/users', 'displayName'], ['/api/v1/markets', '-name'], ['/api/v1/audit-events', '-occurredAt']]) {
      for (const sort of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '-valueOf']) {
        const res = await t.http.get(path).query({ sort }).set(admin.auth).set('Accept-Language', 'en');
        expect([path, sort, res.status]).toEqual([path, sort, 400]);
        expect(res.body.errors).toEqual([{ field: 'sort', message: 'This list cannot be sorted by that field; choose one of the allowed sort fields' }]);
        if (sort !== '__proto__') expect(Array.isArray(res.body.allowedSorts)).toBe(true);
      }
      await t.http.get(path).query({ sort: good }).set(admin.auth).expect(200);
    }
  });

  it('refuses a body that is not JSON or is too large, in the caller\'s language', async () => {
    const notJson = await t.http.post('/api/v1/organisations').set(admin.auth).set('Content-Type', 'text/plain').send('kind=operator').expect(415);
    expect(notJson.body.title).toBe('仅支持 JSON 格式的请求');
    const big = await t.http.post('/api/v1/organisations').set(admin.auth).set('Accept-Language', 'en')
      .send({ kind: 'operator', name: 'x'.repeat(2 * 1024 * 1024), regionCode: '410122' }).expect(413);
    expect(big.body.title).toBe('The request is too large');
    const broken = await t.http.post('/api/v1/organisations').set(admin.auth).set('Content-Type', 'application/json').send('{"kind":').expect(400);
    expect(broken.body.status).toBe(400);
  });

  it('explains the market naming rule (R-A4) and an unknown region in words a clerk understands', async () => {
    const s = await login(t, 'county.reviewer');
    const res = await t.http.post('/api/v1/markets').set(s.auth)
      .send({ ...VALID['markets_register'].body, name: '中牟人力超市' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'name', message: '市场名称应为“XX县（市、区）零工市场”的统一格式（R-A4）' }]);
    const station = await t.http.post('/api/v1/markets').set(s.auth).set('Accept-Language', 'en')
      .send({ ...VALID['markets_register'].body, type: 'station', name: '官渡镇服务点' }).expect(400);
    expect(station.body.errors[0].message).toMatch(/零工服务站/);
    const region = await t.http.post('/api/v1/markets').set(s.auth)
      .send({ ...VALID['markets_register'].body, regionCode: '410199' }).expect(422);
    expect(region.body.errors).toEqual([{ field: 'regionCode', message: '找不到该行政区划代码' }]);
  });
});
