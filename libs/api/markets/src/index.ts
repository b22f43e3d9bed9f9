export { MarketsModule } from './lib/markets.module';
export { MarketsService } from './lib/markets.service';
export { MarketEntity } from './lib/market.entity';
export { Markets1763800400000 } from './lib/migrations/1763800400000-markets';
