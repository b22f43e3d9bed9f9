import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_ACCESS_ROLE, DEV_LEDGER_SEED, dataSourceOptions, type AppConfig } from '@linggong/api-core';
import { ed25519FromSeed } from '@linggong/ledger-chain';
import { SCHEMA } from '@linggong/api-schema';
import { seedDemo, type DemoActivity } from './demo-seed';
import { rollupDemo } from './demo-rollup';
import { seedDirectoryDemo } from './demo-directory';
import { seedAssessmentDemo } from './demo-assessment';

/**
 * Database operations: `bootstrap` (roles and database, as a superuser), `migrate`, `revert`,
 * `seed` (the demo data), `reset` (drop and recreate: development and tests only).
 */

function parts(url: string) {
  const u = new URL(url);
  return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), db: u.pathname.slice(1) };
}
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function bootstrap(config: AppConfig, opts: { drop?: boolean } = {}) {
  const owner = parts(config.DATABASE_OWNER_URL);
  const app = parts(config.DATABASE_URL);
  if (owner.db !== app.db) throw new Error('DATABASE_URL and DATABASE_OWNER_URL must name the same database');
  const admin = new Client({ connectionString: config.DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    const role = async (name: string, attrs: string, password: string) => {
      const exists = (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount;
      const pw = password ? ` PASSWORD ${lit(password)}` : '';
      await admin.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${ident(name)} ${attrs}${pw}`);
    };
    // The owner runs migrations and owns SECURITY DEFINER functions (sign-in lookup, retention).
    await role(owner.user, 'LOGIN BYPASSRLS NOSUPERUSER', owner.password);
    // The app role owns nothing and cannot bypass row-level security.
    await role(app.user, 'LOGIN NOBYPASSRLS NOSUPERUSER NOCREATEDB NOCREATEROLE', app.password);
    await role(APP_ACCESS_ROLE, 'NOLOGIN NOBYPASSRLS', '');
    await admin.query(`GRANT ${ident(APP_ACCESS_ROLE)} TO ${ident(app.user)}`);
    if (opts.drop) await admin.query(`DROP DATABASE IF EXISTS ${ident(owner.db)} WITH (FORCE)`);
    const db = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [owner.db])).rowCount;
    if (!db) await admin.query(`CREATE DATABASE ${ident(owner.db)} OWNER ${ident(owner.user)} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  const inDb = new Client({ connectionString: config.DATABASE_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${owner.db}$1`) });
  await inDb.connect();
  try {
    await inDb.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO ${ident(APP_ACCESS_ROLE)};
      ALTER SCHEMA public OWNER TO ${ident(owner.user)}; REVOKE CREATE ON SCHEMA public FROM ${ident(app.user)}`);
  } finally {
    await inDb.end();
  }
  console.log(`database ${owner.db} ready: owner ${owner.user}, app role ${app.user} (NOBYPASSRLS)`);
}

export async function withOwner<T>(config: AppConfig, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource(dataSourceOptions(config, 'owner', SCHEMA));
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

export async function migrate(config: AppConfig): Promise<string[]> {
  return withOwner(config, async (ds) => {
    const done = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
    // Publish the platform's ledger verification key, so every later export can be checked with it.
    const { publicPem } = ed25519FromSeed(config.LEDGER_SIGNING_SEED ?? DEV_LEDGER_SEED);
    await ds.query('INSERT INTO ledger_keys (key_id, public_key_pem) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING', [config.LEDGER_KEY_ID, publicPem]);
    return done;
  });
}

/**
 * Drop and recreate the database, migrate, seed: development and tests only. The demo gets today's
 * 即时快招 activity only (a small, unsealed morning at every demo market), not the 90-day history:
 * the API suites close past days of the demo markets themselves, and the reset stays fast. With
 * `activity: 'full'` (the CLI's `reset`) it seeds what `setup` does.
 */
export async function reset(config: AppConfig, opts: { activity?: DemoActivity } = {}): Promise<void> {
  if (config.NODE_ENV === 'production') throw new Error('reset refuses to run with NODE_ENV=production');
  await bootstrap(config, { drop: true });
  await migrate(config);
  await withOwner(config, (ds) => seedDemo(ds, config, { activity: opts.activity ?? 'today' }));
  // Today's directory (issue 14) needs no rollup; the full demo's comes after its rollup (the CLI's reset, setup).
  if ((opts.activity ?? 'today') === 'today') await seedDirectoryDemo(config, { full: false });
}

/** What `npm start` runs: roles, migrations, and the demo with 90 sealed days of 即时快招 activity and work log per market. */
export async function setup(config: AppConfig): Promise<void> {
  await bootstrap(config);
  await migrate(config);
  await withOwner(config, (ds) => seedDemo(ds, config, { activity: 'full' }));
  console.log(await rollupDemo(config));
  console.log(await seedDirectoryDemo(config, { full: true }));
  // A completed assessment cycle over the sealed history (issue 15 §7).
  console.log(await seedAssessmentDemo(config));
}
