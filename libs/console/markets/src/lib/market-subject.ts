import { asSubject, type MarketView } from '@linggong/domain';

/** A market row as a CASL subject: operator rules match `tenantId`, authority rules `regionCode`. */
export function marketSubject(m: MarketView) {
  return asSubject('Market', { id: m.id, regionCode: m.regionCode, tenantId: m.operatorId });
}

export const MARKET_STATUS_COLORS: Record<string, string> = { preparing: 'default', open: 'green', suspended: 'orange', closed: 'red' };
