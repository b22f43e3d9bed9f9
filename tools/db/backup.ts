import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { Client } from 'pg';
import { DEV_LEDGER_SEED, type AppConfig } from '@linggong/api-core';
import { GENESIS, LedgerVerifier, ed25519FromSeed, publicKeyFromPem, type VerifyReport } from '@linggong/ledger-chain';
import { rowToEntry, rowToSeal, rowToReceipt } from '@linggong/api-ledger';
import { bootstrap } from './db';

/**
 * Backup and restore drill (issue 12 §13; deploy/README.md "Backups"): `backup` writes a pg_dump
 * custom-format archive of the application database, `restore` loads one into a fresh database (roles
 * and schema grants as `bootstrap` makes them), and `verify-ledgers` checks every market's work log in
 * a database — hash chain, Merkle roots, seal signatures against the platform key, and the authority's
 * receipts — with the same verifier as the API and tools/ledger-verify.
 */

const dbOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
export const withDb = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(db)}`;
  return u.toString();
};

function tool(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd}: ${r.error.message} (install the PostgreSQL client: apt-get install -y postgresql-client)`);
  if (r.status !== 0) throw new Error(`${cmd} failed (exit ${r.status}): ${r.stderr.trim()}`);
}

/**
 * pg_dump of the application database to `file` (custom format: compressed, restorable table by table).
 * It runs as the owner role, which owns every object and may bypass row-level security, so the dump
 * holds every tenant's rows; roles are cluster-wide and not in it (`restore` creates them).
 */
export function backup(config: AppConfig, file: string): { file: string; bytes: number; database: string } {
  const database = dbOf(config.DATABASE_OWNER_URL);
  tool('pg_dump', ['--format=custom', '--compress=6', '--file', file, '--dbname', config.DATABASE_OWNER_URL]);
  return { file, bytes: statSync(file).size, database };
}

/**
 * Restores `file` into a new database `target` on the server of DATABASE_ADMIN_URL: the roles and an
 * empty database owned by the owner role as `bootstrap` makes them, then pg_restore as the superuser,
 * which keeps every object's owner and grants. Refuses a database that already exists.
 */
export async function restore(config: AppConfig, file: string, target: string): Promise<{ database: string }> {
  if (!existsSync(file)) throw new Error(`no such backup file: ${file}`);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(target)) throw new Error(`not a plain database name: ${target}`);
  const admin = new Client({ connectionString: config.DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [target])).rowCount) {
      throw new Error(`database ${target} already exists; restore into a new name (or drop it first)`);
    }
  } finally {
    await admin.end();
  }
  const log = console.log;
  console.log = () => undefined;
  try {
    await bootstrap({ ...config, DATABASE_URL: withDb(config.DATABASE_URL, target), DATABASE_OWNER_URL: withDb(config.DATABASE_OWNER_URL, target) });
  } finally {
    console.log = log;
  }
  tool('pg_restore', ['--exit-on-error', '--single-transaction', '--dbname', withDb(config.DATABASE_ADMIN_URL, target), file]);
  return { database: target };
}

export interface LedgersReport extends VerifyReport { database: string }

/**
 * Every market's work log in the database of `url` (the owner role: it bypasses row-level security),
 * from its first entry: chain, Merkle roots, seals signed by a trusted key, and a receipt for every
 * seal. Trusted keys: the platform key of this configuration and the keys the database lists.
 */
export async function verifyLedgers(config: AppConfig, url = config.DATABASE_OWNER_URL): Promise<LedgersReport> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const keys: Record<string, ReturnType<typeof publicKeyFromPem>> = {};
    for (const k of (await c.query('SELECT key_id, public_key_pem FROM ledger_keys')).rows) keys[k.key_id] = publicKeyFromPem(k.public_key_pem);
    keys[config.LEDGER_KEY_ID] = publicKeyFromPem(ed25519FromSeed(config.LEDGER_SIGNING_SEED ?? DEV_LEDGER_SEED).publicPem);
    const markets: string[] = (await c.query('SELECT DISTINCT market_id FROM ledger_entries UNION SELECT market_id FROM ledger_seals ORDER BY 1')).rows.map((r) => r.market_id);
    const v = new LedgerVerifier({ publicKeys: keys, requireReceipts: true, start: Object.fromEntries(markets.map((m) => [m, { seq: 0, hash: GENESIS }])) });
    for (const m of markets) {
      // Seals first: they mark where a day's supplementary parts begin (issue 17 §1).
      for (const s of (await c.query(
        `SELECT market_id, to_char(business_day, 'YYYY-MM-DD') AS business_day, count, first_seq, last_seq, last_hash,
           merkle_root, closed_at, closed_by, late, alg, key_id, digest, signature, part, reason FROM ledger_seals WHERE market_id = $1 ORDER BY business_day, part`, [m])).rows) {
        v.addSeal(rowToSeal(s));
      }
      // In pages by sequence, so a market with millions of entries fits in memory.
      for (let after = 0; ;) {
        const rows = (await c.query(
          `SELECT market_id, seq, id, kind, occurred_at, recorded_at, to_char(business_day, 'YYYY-MM-DD') AS business_day,
             actor_user_id, subject_type, subject_id, payload, corrects, reason, attachments, prev_hash, hash, alg
           FROM ledger_entries WHERE market_id = $1 AND seq > $2 ORDER BY seq LIMIT 5000`, [m, after])).rows;
        for (const r of rows) v.addEntry(rowToEntry(r));
        if (rows.length < 5000) break;
        after = Number(rows[rows.length - 1].seq);
      }
      for (const r of (await c.query(`SELECT market_id, to_char(business_day, 'YYYY-MM-DD') AS business_day, part, seal_digest, received_at FROM ledger_receipts WHERE market_id = $1`, [m])).rows) {
        v.addReceipt(rowToReceipt(r));
      }
    }
    return { ...v.finish(), database: dbOf(url) };
  } finally {
    await c.end();
  }
}
