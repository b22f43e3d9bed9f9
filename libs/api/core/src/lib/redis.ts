import { Inject } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from './config';

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

export function createRedis(config: AppConfig): Redis {
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: false, enableOfflineQueue: true });
}
export type { Redis };
