import { DataSource } from 'typeorm';
import type { AppConfig } from '@linggong/api-core';

/**
 * What every benchmark in tools/bench shares: its command-line options, percentiles and timing, its own database
 * name (per test slot, so two sessions on one machine do not reset each other's). The Nest module the in-process
 * benchmarks (analytics, reports) boot is in `module.ts`, so the others do not load the API's libraries.
 */

/** `--name value` as a number (the default when absent). */
export function numArg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}
/** `--name value` as a string (the default when absent). */
export function strArg(args: string[], name: string, dflt: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? String(args[i + 1]) : dflt;
}
/** `--name` present. */
export const flag = (args: string[], name: string): boolean => args.includes(`--${name}`);

/** The p-th percentile (0–100) of ascending values by nearest rank; NaN for none. */
export function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
/** The middle value (the lower of the two middle ones for an even count). */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
export const r1 = (x: number): number => Math.round(x * 10) / 10;
export const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Milliseconds an async call took, and its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

/** The test slot's suffix (`_4` for LINGGONG_TEST_SLOT=4, "" without one). */
export const SLOT = process.env['LINGGONG_TEST_SLOT'] ? `_${process.env['LINGGONG_TEST_SLOT']}` : '';
/** A benchmark's own database name, per test slot. */
export const benchDb = (base: string): string => `${base}${SLOT}`;

/** A superuser connection to a database of the cluster (for generating rows as the owner of everything, or dropping a database). */
export async function adminDataSource(config: AppConfig, database?: string): Promise<DataSource> {
  const url = database ? config.DATABASE_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${database}$1`) : config.DATABASE_ADMIN_URL;
  const ds = new DataSource({ type: 'postgres', url, installExtensions: false, extra: { max: 1 } });
  return ds.initialize();
}
/** Drop a benchmark's database (unless `--keep`). */
export async function dropBenchDb(config: AppConfig, database: string): Promise<void> {
  const admin = await adminDataSource(config);
  try { await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`); } finally { await admin.destroy(); }
}
