/** Market types (R-A2, 001 §3, 003). */
export const MARKET_TYPES = ['comprehensive', 'industry', 'station'] as const;
export type MarketType = (typeof MARKET_TYPES)[number];

/** Operating nature (R-A2, 000). */
export const OPERATING_NATURES = ['public', 'commercial', 'spontaneous'] as const;
export type OperatingNature = (typeof OPERATING_NATURES)[number];

/** Operating modes (R-A3). */
export const OPERATING_MODES = ['bureau_run', 'service_centre', 'contracted'] as const;
export type OperatingMode = (typeof OPERATING_MODES)[number];

export const MARKET_STATUSES = ['preparing', 'open', 'suspended', 'closed'] as const;
export type MarketStatus = (typeof MARKET_STATUSES)[number];

/** Fields the registering authority owns; the operator owns the rest (operating details). */
export const MARKET_REGISTRATION_FIELDS = ['name', 'type', 'nature', 'mode', 'regionCode', 'operatorId', 'status'] as const;
export const MARKET_OPERATION_FIELDS = [
  'address', 'longitude', 'latitude', 'openingHours', 'contacts', 'hotline', 'occupations',
] as const;

/**
 * R-A4: unified naming "XX县（市、区）零工市场", or for a small service station or post
 * "XX零工服务站" / "XX零工驿站" (001 §3, 004 附件1). Full-width or half-width brackets accepted
 * around an optional suffix such as a branch name.
 */
const COUNTY_MARKET = /^[\u4e00-\u9fa5]{1,20}(县|市|区|旗)零工市场([（(][\u4e00-\u9fa5\w]{1,20}[)）])?$/;
const STATION = /^[\u4e00-\u9fa5\w]{2,30}零工(服务站|服务点|驿站|服务站点)$/;

export function marketNameProblem(name: string, type: MarketType): 'market' | 'station' | null {
  if (type === 'station') return STATION.test(name) || COUNTY_MARKET.test(name) ? null : 'station';
  return COUNTY_MARKET.test(name) ? null : 'market';
}
