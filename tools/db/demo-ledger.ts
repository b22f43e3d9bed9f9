import type { DataSource } from 'typeorm';
import { DEV_LEDGER_SEED, type AppConfig } from '@linggong/api-core';
import {
  DEFAULT_ALG, GENESIS, ed25519FromSeed, entryHash, merkleRoot, sealDigest, shanghaiDay, signDigest, type LedgerEntry,
} from '@linggong/ledger-chain';

const NOTES = [
  { kind: 'manual_patrol', title: '早市现场巡查', note: '秩序良好，无违规收费' },
  { kind: 'manual_patrol', title: '安全检查', note: '消防通道畅通，灭火器在有效期内' },
  { kind: 'manual_visit', title: '走访用工企业', note: '了解季节性用工需求' },
  { kind: 'manual_note', title: '政策咨询', note: '解答灵活就业人员参保问题' },
  { kind: 'manual_fair', title: '零工专场招聘会', note: '现场对接岗位' },
  { kind: 'manual_note', title: '交接班记录', note: '当日登记、签到数据已核对' },
] as const;

/**
 * Fourteen days of sealed work-log history for each demo market (manual records only: the business
 * flows that append automatically arrive with later issues), built with the same chain, seal and
 * receipt rules as the API, so the console's daily log and the county's seal review show real data.
 * Only for a market whose ledger is still empty; idempotent.
 */
export async function seedDemoLedger(ds: DataSource, config: AppConfig, markets: { id: string; actor: string; username: string }[]): Promise<number> {
  const key = ed25519FromSeed(config.LEDGER_SIGNING_SEED ?? DEV_LEDGER_SEED);
  const today = shanghaiDay(new Date());
  let total = 0;
  for (const [mi, m] of markets.entries()) {
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM ledger_entries WHERE market_id = $1', [m.id]);
    if (n > 0) continue;
    const [market] = await ds.query('SELECT tenant_id, region_code FROM markets WHERE id = $1', [m.id]);
    await ds.transaction(async (em) => {
      let prev = GENESIS;
      let seq = 0;
      for (let back = 14; back >= 1; back--) {
        const day = new Date(Date.parse(`${today}T00:00:00+08:00`) - back * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
        const count = 2 + ((back * 7 + mi * 3) % 5);
        const hashes: string[] = [];
        let firstSeq: number | null = null;
        for (let i = 0; i < count; i++) {
          const pick = NOTES[(back + i + mi) % NOTES.length];
          const at = new Date(Date.parse(`${day}T07:30:00+08:00`) + i * 67 * 60_000).toISOString();
          const e: Omit<LedgerEntry, 'hash'> = {
            marketId: m.id, seq: ++seq, kind: pick.kind, occurredAt: at, recordedAt: at, businessDay: day, actorUserId: m.actor,
            subjectType: 'Market', subjectId: m.id, payload: { title: pick.title, note: pick.note }, corrects: null, reason: null,
            attachments: [], prevHash: prev, alg: DEFAULT_ALG,
          };
          const hash = entryHash(e);
          await em.query(
            `INSERT INTO ledger_entries (market_id, seq, id, tenant_id, region_code, kind, occurred_at, recorded_at, business_day,
               actor_user_id, actor_name, subject_type, subject_id, payload, attachments, prev_hash, hash, alg)
             VALUES ($1::uuid, $2, gen_random_uuid(), $3, $4, $5, $6, $7, $8, $9, $10, 'Market', $1::text, $11, '{}', $12, $13, $14)`,
            [m.id, e.seq, market.tenant_id, market.region_code, e.kind, at, at, day, m.actor, m.username, JSON.stringify(e.payload), prev, hash, DEFAULT_ALG]);
          firstSeq ??= e.seq;
          hashes.push(hash);
          prev = hash;
          total++;
        }
        const closedAt = new Date(Date.parse(`${day}T18:30:00+08:00`)).toISOString();
        const base = {
          marketId: m.id, businessDay: day, count, firstSeq, lastSeq: seq, lastHash: prev, merkleRoot: merkleRoot(DEFAULT_ALG, hashes),
          closedAt, late: back === 5, alg: DEFAULT_ALG, keyId: config.LEDGER_KEY_ID,
        };
        const digest = sealDigest(base);
        await em.query(
          `INSERT INTO ledger_seals (market_id, business_day, tenant_id, region_code, count, first_seq, last_seq, last_hash, merkle_root,
             closed_at, closed_by, late, alg, key_id, digest, signature)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [m.id, day, market.tenant_id, market.region_code, count, firstSeq, seq, prev, base.merkleRoot, closedAt,
            base.late ? null : m.actor, base.late, DEFAULT_ALG, config.LEDGER_KEY_ID, digest, signDigest(key.privateKey, digest)]);
        await em.query(`INSERT INTO ledger_receipts (market_id, business_day, region_code, seal_digest, received_at) VALUES ($1, $2, $3, $4, $5)`,
          [m.id, day, market.region_code, digest, closedAt]);
        await em.query(
          `INSERT INTO ledger_heads (market_id, last_seq, last_hash, sealed_through) VALUES ($1, $2, $3, $4)
           ON CONFLICT (market_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash, sealed_through = EXCLUDED.sealed_through`,
          [m.id, seq, prev, day]);
      }
    });
  }
  return total;
}
