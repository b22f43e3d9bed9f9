import type { Lang } from './lang';

// ───────────────────────────── messages ─────────────────────────────

/**
 * Problem messages of oversight (issue 16), merged into MESSAGES by i18n.ts. Their own file, free of zod: i18n.ts is
 * in the console's initial bundle, which must not load zod before main.ts makes it jitless (CSP, issue 12 §7).
 */
export const OVERSIGHT_MESSAGES: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    oversight_region_code: '县级行政区划代码应为 6 位数字',
    oversight_bad_hash: '文件哈希应为 64 位十六进制字符',
    oversight_not_county: '只有县级人社部门可以对本县的运营机构抽查回访',
    oversight_not_operator: '该机构不是运营机构',
    callback_period_not_over: '抽查期间尚未结束，须期末之后或各市场已日结至期末才能抽取',
    callback_sample_exists: '该运营机构在本县同一期间已有抽查样本（每期只抽一次，防止反复抽取）',
    callback_state: '样本的状态已改变，不能执行该操作',
    callback_no_candidates: '该期间没有已日结的上岗或服务记录，无法抽样',
    callback_outside_sample: '该零工不在本次抽查样本中，不能查看其联系方式（已记录本次尝试）',
    callback_outcome_recorded: '该回访结果已登记',
    callback_calls_open: '还有回访未登记结果',
    rectification_state: '整改单的状态已改变，不能执行该操作',
    rectification_verdict_note: '部分通过或不通过时请写明原因',
    rectification_source_unknown: '整改来源不存在或不属于该运营机构',
    rectification_market: '该市场不属于该运营机构',
    inspection_state: '检查已出具报告，不能再修改',
    inspection_duplicate_item: '检查项目重复',
    inspection_plan_level: '只有县级或市级人社部门可以制定检查计划',
  },
  en: {
    oversight_region_code: 'A county code has 6 digits',
    oversight_bad_hash: 'A file hash has 64 hexadecimal digits',
    oversight_not_county: 'Only a county bureau samples the operators of its county',
    oversight_not_operator: 'That organisation is not an operator',
    callback_period_not_over: 'The sampled period is not over: draw after its last day, or once every market has sealed it',
    callback_sample_exists: 'This operator already has a sample for this period in this county (one draw per period, so a draw cannot be repeated)',
    callback_state: 'The sample has changed state; this step is no longer possible',
    callback_no_candidates: 'The period has no sealed hire or service entries to sample',
    callback_outside_sample: 'That worker is not in this sample, so their contact cannot be shown (the attempt has been recorded)',
    callback_outcome_recorded: 'The outcome of this call is already recorded',
    callback_calls_open: 'Some calls have no outcome yet',
    rectification_state: 'The order has changed state; this step is no longer possible',
    rectification_verdict_note: 'Give the reason for a partial or failed verification',
    rectification_source_unknown: 'The source of the order does not exist or is not this operator’s',
    rectification_market: 'That market is not this operator’s',
    inspection_state: 'The inspection has been reported and can no longer change',
    inspection_duplicate_item: 'A checklist item is listed twice',
    inspection_plan_level: 'Only a county or city bureau plans inspections',
  },
};
