export { MarketsModule, MarketScopeModule } from './lib/markets.module';
export { MarketDirectoryService, type DirectoryMarketProfile, type MarketScope, type PublicMarketProfile } from './lib/market-directory.service';
export { MarketsService } from './lib/markets.service';
export { MarketEntity } from './lib/market.entity';
export { Markets1763800400000 } from './lib/migrations/1763800400000-markets';
export { MARKETS_CONTEXT } from './lib/markets.context';
export { MarketHandover } from './lib/markets.handover';
export { AssignmentCovers, type AssignmentCover, type AssignmentQuery } from './lib/assignment-covers';
