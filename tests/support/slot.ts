/**
 * Several checkouts of the project may run their suites on one machine at once (one per developer
 * worktree). `LINGGONG_TEST_SLOT=N` (1–6) moves a checkout's suites to databases `linggong_test_N` /
 * `linggong_browser_N`, Redis dbs 2N+1 / 2N+2 and browser port 3999 − N. Unset (CI): the defaults. The browser
 * suite's second shard (tests/browser/support/env.ts) adds `linggong_browser2_N` and port 3899 − N, in the same
 * Redis db under its own key prefix.
 */
export interface TestSlot {
  suffix: string;
  apiRedisDb: number;
  browserRedisDb: number;
  browserPort: number;
}

export function testSlot(): TestSlot {
  const raw = process.env['LINGGONG_TEST_SLOT'];
  if (!raw) return { suffix: '', apiRedisDb: 1, browserRedisDb: 2, browserPort: 3999 };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 6) throw new Error(`LINGGONG_TEST_SLOT must be 1–6, got "${raw}"`);
  return { suffix: `_${n}`, apiRedisDb: 2 * n + 1, browserRedisDb: 2 * n + 2, browserPort: 3999 - n };
}
