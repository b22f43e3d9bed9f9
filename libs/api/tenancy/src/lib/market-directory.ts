import type { EntityManager } from 'typeorm';

/**
 * What tenancy needs to know about markets, provided by the markets context (which itself depends
 * on tenancy), so neither reads the other's tables.
 */
export interface MarketDirectory {
  /** tenant (operator) of each visible market id; ids the caller cannot see are absent. */
  tenantsOf(em: EntityManager, marketIds: string[]): Promise<Map<string, string | null>>;
  countByOperator(em: EntityManager, operatorIds: string[]): Promise<Map<string, number>>;
}
export const MARKET_DIRECTORY = Symbol('MARKET_DIRECTORY');
