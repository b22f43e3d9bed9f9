import type { Lang } from './i18n';

/**
 * Problem messages of third-party platforms (issue 18 §3–4), merged into MESSAGES by i18n.ts. Free of zod, like
 * oversight-messages.ts (i18n.ts is in the console's initial bundle).
 */
export const PLATFORM_MESSAGES: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    platform_signature_missing: '缺少签名请求头（X-Linggong-Key、X-Linggong-Timestamp、X-Linggong-Nonce、X-Linggong-Signature）或格式不正确',
    platform_key_unknown: '应用密钥（App Key）不存在',
    platform_disabled: '该平台接入已停用',
    platform_signature_invalid: '签名不正确：请用当前密钥对“时间戳\\n随机串\\n方法\\n路径\\n原始请求体”计算 HMAC-SHA256',
    platform_timestamp_skew: '请求时间戳与服务器时间相差超过 5 分钟，请校准时钟后重新签名',
    platform_nonce_replayed: '该随机串（nonce）已使用过，重放的请求被拒绝',
    platform_scope_missing: '该平台未被授予此接口所需的权限范围',
    platform_rate_limited: '该平台的调用次数超过每分钟上限，请稍后再试',
    platform_market_not_granted: '该平台未被授权向此市场推送数据',
    platform_post_unknown: '该平台没有此外部编号的岗位',
    platform_code_taken: '平台代码已被使用',
    platform_markets_outside: '所选市场不在本机构管辖或运营范围内',
    platform_not_active: '该平台接入已停用，不能重置密钥',
    platform_already_disabled: '该平台接入已经停用',
    webhook_url_invalid: '回调地址必须是 https 地址（测试环境允许本机 http）',
  },
  en: {
    platform_signature_missing: 'Signature headers missing or malformed (X-Linggong-Key, X-Linggong-Timestamp, X-Linggong-Nonce, X-Linggong-Signature)',
    platform_key_unknown: 'Unknown app key',
    platform_disabled: 'This platform connection is disabled',
    platform_signature_invalid: 'Signature does not match: HMAC-SHA256 with the current secret over "timestamp\\nnonce\\nmethod\\npath\\nraw body"',
    platform_timestamp_skew: 'The request timestamp is more than 5 minutes from the server clock; fix the clock and sign again',
    platform_nonce_replayed: 'This nonce was already used; the replayed request is refused',
    platform_scope_missing: 'This platform was not granted the scope this endpoint needs',
    platform_rate_limited: 'This platform exceeded its calls per minute; try again shortly',
    platform_market_not_granted: 'This platform may not send data for this market',
    platform_post_unknown: 'This platform has no post with that external id',
    platform_code_taken: 'This platform code is already in use',
    platform_markets_outside: 'Some markets are outside your region or operator',
    platform_not_active: 'This platform connection is disabled; its secret cannot be rotated',
    platform_already_disabled: 'This platform connection is already disabled',
    webhook_url_invalid: 'The webhook URL must be https (plain http only to this machine in tests)',
  },
};
