import { defineContext } from '@linggong/api-core';
import { MarketsModule } from './markets.module';
import { MarketEntity } from './market.entity';
import { Markets1763800400000 } from './migrations/1763800400000-markets';

/** What the apps wire for the markets context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const MARKETS_CONTEXT = defineContext({
  name: 'markets',
  api: MarketsModule,
  entities: [MarketEntity],
  migrations: [Markets1763800400000],
  tenantTables: ['markets'],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    organisations: 'operator names in the market list',
    users: 'the platform overview counts users',
  },
});
