import { newId } from '@linggong/api-core';
import { DEFAULT_ALG, entryHash } from '@linggong/ledger-chain';
import type { TestApp } from './app';

/**
 * Before issue 17, entries recorded after a close went to the next open day; now they stay on their
 * own day and get a supplementary seal. Specs that need a sealed day and a later live day get what such
 * an older chain looks like: one chain-valid entry on `nextDay`, written as the owner right after the
 * close; later appends continue on that day (a chain never goes back a day). It counts in no figure.
 */
export async function continueOnNextDay(t: TestApp, marketId: string, nextDay: string): Promise<void> {
  const [head] = await t.owner.query('SELECT last_seq, last_hash FROM ledger_heads WHERE market_id = $1', [marketId]);
  const [m] = await t.owner.query('SELECT tenant_id, region_code FROM markets WHERE id = $1', [marketId]);
  const now = new Date().toISOString();
  const e = {
    marketId, seq: Number(head.last_seq) + 1, kind: 'manual_note', occurredAt: now, recordedAt: now, businessDay: nextDay, actorUserId: null,
    subjectType: 'Market', subjectId: marketId, payload: { title: '旧规则下记入次日的记录' }, corrects: null, reason: null, attachments: [],
    prevHash: head.last_hash as string, alg: DEFAULT_ALG,
  };
  const hash = entryHash(e);
  await t.owner.query(
    `INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day, actor_user_id, subject_type, subject_id,
       payload, corrects, reason, attachments, prev_hash, hash, alg) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, NULL, NULL, '{}', $13, $14, $15)`,
    [marketId, e.seq, newId(), m.tenant_id, m.region_code, e.kind, now, now, nextDay, e.subjectType, e.subjectId, JSON.stringify(e.payload), e.prevHash, hash, e.alg]);
  await t.owner.query('UPDATE ledger_heads SET last_seq = $2, last_hash = $3 WHERE market_id = $1', [marketId, e.seq, hash]);
}
