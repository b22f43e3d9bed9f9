import type { z } from 'zod';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Pick zh-CN unless the caller clearly prefers English (Accept-Language). */
export function pickLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

type Dict = Record<string, string>;
/** Messages the API sends to people: problem titles and details, in the caller's language. */
export const MESSAGES: Record<Lang, Dict> = {
  'zh-CN': {
    validation_failed: '提交的信息有误，请按提示修改',
    bad_request: '请求格式不正确',
    unauthorized: '请先登录',
    session_expired: '登录已过期，请重新登录',
    invalid_credentials: '用户名或密码错误',
    account_locked: '密码连续输错 5 次，账号已锁定 15 分钟，请稍后再试或联系管理员解锁',
    account_disabled: '账号已停用，请联系管理员',
    forbidden: '您没有权限执行此操作',
    csrf: '请求缺少安全校验（CSRF），请刷新页面后重试',
    not_found: '找不到该记录，或您无权查看',
    conflict: '记录已存在或已被修改',
    too_many_requests: '操作过于频繁，请稍后再试',
    payload_too_large: '提交的内容过大',
    internal: '系统暂时出错，请稍后再试',
    unsupported_media_type: '仅支持 JSON 格式的请求',
    read_only_tenant: '该运营机构已退出，数据仅供查阅',
    grant_outside_scope: '不能授予超出本机构范围的角色或市场',
    username_taken: '用户名已被使用',
    market_not_in_tenant: '所选市场不属于本运营机构',
    operator_not_found: '找不到所选运营机构',
    region_not_found: '找不到该行政区划代码',
    region_outside_scope: '该行政区划不在您的管辖范围内',
    market_name_market: '市场名称应为“XX县（市、区）零工市场”的统一格式（R-A4）',
    market_name_station: '站点名称应为“XX零工服务站”或“XX零工驿站”格式（R-A4）',
    region_must_be_county: '市场应属于一个县（市、区），请选择 6 位县级代码',
    wrong_password: '当前密码不正确',
    password_policy: '密码至少 10 位，须包含大写字母、小写字母、数字、符号中的至少三类，且不能包含用户名',
    role_org_mismatch: '该角色不能授予此类机构的用户',
    market_roles_need_markets: '市场负责人、窗口人员须至少分配一个市场',
    org_kind_region: '机构类型与行政区划级别不一致',
    invalid_mobile: '请输入 11 位手机号码',
    ledger_future_day: '不能对尚未到来的日期日结',
    ledger_future_time: '发生时间不能晚于现在',
    invalid_id_number: '身份证号码有误，请核对（校验位不符或出生日期无效）',
    consent_required: '请先征得本人同意（个人信息使用告知）',
    worker_exists: '该手机号已在本机构登记',
    worker_id_exists: '该身份证号码已在本机构登记',
    import_not_xlsx: '文件不是有效的 Excel 表格（.xlsx），请下载导入模板填写后再上传',
    import_file_too_large: '导入文件不能超过 5 MB',
    import_missing_columns: '表格缺少必需的列（姓名、手机号、同意），请使用导入模板',
    import_no_rows: '表格中没有可导入的人员',
    import_too_many_rows: '一次最多导入 5000 人，请拆分成多个文件分批导入',
    import_duplicate_mobile_in_file: '手机号与本文件第 {row} 行重复',
    import_duplicate_id_in_file: '身份证号码与本文件第 {row} 行重复',
    import_bad_gender: '性别请填写“男”或“女”',
    export_too_many_rows: '导出结果超过 50000 人，请按市场或姓名缩小范围后再导出',
    invalid_credit_code: '统一社会信用代码有误，请核对（18 位，校验位不符）',
    credit_code_required: '单位用工须填写统一社会信用代码',
    employer_exists: '该单位已在本机构登记',
    ledger_already_closed: '该日已日结，日志不可再更改',
    ledger_correct_correction: '更正记录不能再被更正，请更正原记录',
    ledger_attachment_missing: '附件不存在，请先上传',
    bad_range: '结束日期不能早于开始日期',
    range_too_long: '日期范围不能超过一年',
    attachment_too_large: '附件不能超过 5 MB',
    unknown_occupation: '请从工种目录中选择',
    reason_required: '驳回须写明理由（至少 4 个字）',
    worker_removed: '该人员已被清出市场，申诉处理前不能签到或推荐',
    worker_not_registered: '该手机号尚未登记，请先登记',
    post_not_open: '该岗位不在招聘中（未审核、已满员、已下架或已过期）',
    post_filled: '该岗位已招满',
    post_not_pending: '该岗位已审核过',
    employer_not_verified: '用工主体尚未核验通过，不能发布岗位',
    employer_other_market: '该用工主体不属于本运营机构',
    unknown_hazard: '危险作业代码不在禁忌劳动目录中',
    compliance_refused: '不符合劳动保护规定，不能推荐（见法律依据）',
    placement_state: '当前状态下不能执行此操作',
    placement_exists: '该人员已被推荐到此岗位',
    token_invalid: '确认码无效或已失效，请到服务台重新获取',
    start_before_confirm: '双方确认后才能开工',
    sanction_state: '该处理当前状态下不能执行此操作',
    appeal_deadline_passed: '已超过申诉期限',
    appeal_same_person: '申诉应由作出处理以外的人员复核',
    not_paid_yet: '尚未开工的用工不能反映欠薪',
    expires_before_start: '下架时间不能早于开工时间',
    // Assistance and service records (issue 5 §1, §4; R-B9, R-B12, R-B14)
    course_required: '培训步骤须填写课程或技能名称',
    referred_to_required: '推荐步骤须填写推荐去向（单位或机构）',
    outcome_required: '回访须选择回访结果',
    employer_name_required: '稳定就业须填写就业单位',
    service_party_required: '请选择服务对象：一名零工或一家用工主体（二选一）',
    hardship_record_required: '请先在本人同意下登记困难类别，再建立帮扶计划',
    plan_exists: '该人员已有进行中的帮扶计划',
    plan_closed: '该帮扶计划已结束，不能再记录',
    step_before_plan: '记录日期不能早于帮扶计划建立日期',
    package_region_province: '服务包按省配置，请填写 2 位省级代码（00 为默认）',
  },
  en: {
    validation_failed: 'Some of the information is not valid; please correct it',
    bad_request: 'The request is malformed',
    unauthorized: 'Please sign in',
    session_expired: 'Your session has expired; please sign in again',
    invalid_credentials: 'Wrong username or password',
    account_locked: 'Five wrong passwords in a row: the account is locked for 15 minutes',
    account_disabled: 'This account is disabled; contact your administrator',
    forbidden: 'You are not allowed to do this',
    csrf: 'Missing security token (CSRF); reload the page and try again',
    not_found: 'Not found, or you may not see it',
    conflict: 'The record already exists or was changed',
    too_many_requests: 'Too many requests; please wait and try again',
    payload_too_large: 'The request is too large',
    internal: 'Something went wrong; please try again later',
    unsupported_media_type: 'Only JSON requests are accepted',
    read_only_tenant: 'This operator has exited; its data is read-only',
    grant_outside_scope: 'You cannot grant a role or market outside your own organisation',
    username_taken: 'That username is already taken',
    market_not_in_tenant: 'A selected market does not belong to this operator',
    operator_not_found: 'The selected operator was not found',
    region_not_found: 'Unknown region code',
    region_outside_scope: 'That region is outside your jurisdiction',
    market_name_market: 'A market name must read "XX县（市、区）零工市场" (R-A4)',
    market_name_station: 'A station name must read "XX零工服务站" or "XX零工驿站" (R-A4)',
    region_must_be_county: 'A market belongs to a county: choose a 6-digit county code',
    wrong_password: 'The current password is wrong',
    password_policy: 'A password needs at least 10 characters, three of upper case, lower case, digits and symbols, and must not contain the username',
    role_org_mismatch: 'That role cannot be given to a user of this kind of organisation',
    market_roles_need_markets: 'Market managers and front-desk staff need at least one market',
    org_kind_region: 'The organisation kind does not match the region level',
    invalid_mobile: 'Enter an 11-digit mobile number',
    ledger_future_day: 'A day that has not come yet cannot be closed',
    ledger_future_time: 'The time it happened cannot be in the future',
    invalid_id_number: 'The ID number is wrong (check character or birth date)',
    consent_required: 'The person\'s consent to the use of personal data is required',
    worker_exists: 'This mobile number is already registered with this operator',
    worker_id_exists: 'This ID number is already registered with this operator',
    import_not_xlsx: 'The file is not a valid Excel workbook (.xlsx); download the import template, fill it in and upload it',
    import_file_too_large: 'The import file may be at most 5 MB',
    import_missing_columns: 'The sheet lacks a required column (姓名 name, 手机号 mobile, 同意 consent); please use the import template',
    import_no_rows: 'The sheet has no workers to import',
    import_too_many_rows: 'At most 5000 workers per import; split the file and import it in parts',
    import_duplicate_mobile_in_file: 'Same mobile number as row {row} of this file',
    import_duplicate_id_in_file: 'Same ID number as row {row} of this file',
    import_bad_gender: 'Gender must be 男 (male) or 女 (female)',
    export_too_many_rows: 'More than 50000 workers match; narrow the export by market or name',
    invalid_credit_code: 'The unified social credit code is wrong (18 characters, check character)',
    credit_code_required: 'A company needs its unified social credit code',
    employer_exists: 'This employer is already registered with this operator',
    ledger_already_closed: 'That day is already closed; its log can no longer change',
    ledger_correct_correction: 'A correction cannot be corrected; correct the original entry',
    ledger_attachment_missing: 'Attachment not found; upload it first',
    bad_range: 'The end date is before the start date',
    range_too_long: 'The date range may not exceed one year',
    attachment_too_large: 'Attachments may be at most 5 MB',
    unknown_occupation: 'Choose an occupation from the dictionary',
    reason_required: 'A rejection needs a reason (at least 4 characters)',
    worker_removed: 'This worker has been removed from the market; no check-in or recommendation until an appeal succeeds',
    worker_not_registered: 'This mobile number is not registered yet; please register first',
    post_not_open: 'This post is not open (not reviewed, filled, withdrawn or expired)',
    post_filled: 'This post is already filled',
    post_not_pending: 'This post has already been reviewed',
    employer_not_verified: 'The employer has not been verified',
    employer_other_market: 'This employer does not belong to this operator',
    unknown_hazard: 'Unknown hazard code (not on the prohibited-work list)',
    compliance_refused: 'Refused by the labour-protection rules (see the legal basis)',
    placement_state: 'This cannot be done in the current state of the placement',
    placement_exists: 'This worker has already been recommended for this post',
    token_invalid: 'This confirmation code is invalid or expired; ask at the desk for a new one',
    start_before_confirm: 'Both parties must confirm before work starts',
    sanction_state: 'This cannot be done in the current state of the case',
    appeal_deadline_passed: 'The appeal deadline has passed',
    appeal_same_person: 'An appeal must be decided by someone other than who made the decision',
    not_paid_yet: 'Non-payment can only be reported for work that has started',
    expires_before_start: 'The post cannot leave the board before the work starts',
    course_required: 'A training step needs the course or skill',
    referred_to_required: 'A referral step needs where the person was referred to',
    outcome_required: 'A follow-up needs its outcome',
    employer_name_required: 'Stable employment needs the employer\'s name',
    service_party_required: 'Choose whom the service was for: one worker or one employer',
    hardship_record_required: 'Record the hardship categories, with the person\'s consent, before opening a plan',
    plan_exists: 'This person already has an open assistance plan',
    plan_closed: 'This assistance plan is closed; nothing more can be recorded on it',
    step_before_plan: 'A step cannot be dated before the plan was opened',
    package_region_province: 'Service packages are set per province: a 2-digit province code (00 for the default)',
  },
};

export function msg(lang: Lang, key: string): string {
  return MESSAGES[lang][key] ?? MESSAGES['zh-CN'][key] ?? key;
}

/** Zod issues in words a front-desk clerk understands, in the caller's language. */
export function zodErrorMap(lang: Lang): (issue: z.core.$ZodRawIssue) => string {
  const zh = lang === 'zh-CN';
  return (issue) => {
    // A message set on the schema is a key into MESSAGES.
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) return zh ? '此项必填' : 'This field is required';
        return zh ? `格式不正确，应为${typeName(String(issue.expected), zh)}` : `Wrong type: expected ${typeName(String(issue.expected), zh)}`;
      case 'too_small':
        if (issue.origin === 'string') return zh ? `至少 ${issue.minimum} 个字符` : `At least ${issue.minimum} characters`;
        if (issue.origin === 'array') return zh ? `至少选择 ${issue.minimum} 项` : `Choose at least ${issue.minimum}`;
        return zh ? `不能小于 ${issue.minimum}` : `Must be at least ${issue.minimum}`;
      case 'too_big':
        if (issue.origin === 'string') return zh ? `不能超过 ${issue.maximum} 个字符` : `At most ${issue.maximum} characters`;
        if (issue.origin === 'array') return zh ? `最多 ${issue.maximum} 项` : `At most ${issue.maximum} items`;
        return zh ? `不能大于 ${issue.maximum}` : `Must be at most ${issue.maximum}`;
      case 'unrecognized_keys':
        return zh ? `不认识的字段：${issue.keys.join('、')}` : `Unknown field(s): ${issue.keys.join(', ')}`;
      case 'invalid_value':
        return zh ? `取值无效，可选：${issue.values.join('、')}` : `Invalid value; allowed: ${issue.values.join(', ')}`;
      case 'invalid_format':
        return zh ? '格式不正确' : 'Invalid format';
      default:
        return zh ? '取值无效' : 'Invalid value';
    }
  };
}

function typeName(t: string, zh: boolean): string {
  const names: Record<string, [string, string]> = {
    string: ['文字', 'text'], number: ['数字', 'a number'], boolean: ['是/否', 'true or false'],
    array: ['列表', 'a list'], object: ['对象', 'an object'], int: ['整数', 'an integer'],
  };
  const n = names[t];
  return n ? (zh ? n[0] : n[1]) : t;
}
