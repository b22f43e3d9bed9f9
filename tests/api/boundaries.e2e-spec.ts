import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONTEXTS } from '@linggong/api-schema';

/**
 * Context boundaries (issue 11 §5), read from the source: a context's SQL names another context's
 * table only when its declaration lists that table in `readModels` (with the reason), and a migration
 * written from now on changes only its own context's tables. Owners come from the migrations' CREATE
 * TABLE statements. No database needed.
 */
const ROOT = join(__dirname, '../..');
const API = join(ROOT, 'libs/api');
/** Migrations up to this one predate the rule (they are immutable); later ones must keep to their context. */
const LAST_GRANDFATHERED_MIGRATION = 1763803100000;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const contextOf = (file: string) => relative(API, file).split('/')[0];
const migrationFiles = files(API).filter((f) => f.includes('/migrations/'));

const OWNER = new Map<string, string>();
for (const f of migrationFiles) {
  for (const m of readFileSync(f, 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)) if (!OWNER.has(m[1])) OWNER.set(m[1], contextOf(f));
}

/** Table names a piece of TypeScript reads or writes by SQL text or the query builder. */
function tablesNamed(src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|DELETE FROM)\s+(\w+)/g)) out.push(m[1]);
  for (const m of src.matchAll(/\.(?:from|leftJoin|innerJoin|leftJoinAndSelect|innerJoinAndSelect|into|update)\(\s*'(\w+)'/g)) out.push(m[1]);
  return out.filter((t) => OWNER.has(t));
}

/** Tables a migration changes (not the ones it only references). */
function tablesChanged(src: string): string[] {
  const out: string[] = [];
  const re = /\b(?:ALTER TABLE(?: IF EXISTS)?(?: ONLY)?|DROP TABLE(?: IF EXISTS)?|CREATE (?:UNIQUE )?INDEX(?: CONCURRENTLY)?(?: IF NOT EXISTS)? \w+ ON|CREATE POLICY \w+ ON|DROP POLICY(?: IF EXISTS)? \w+ ON|CREATE (?:OR REPLACE )?(?:CONSTRAINT )?TRIGGER \w+[\s\S]{0,80}? ON|INSERT INTO|UPDATE|DELETE FROM|GRANT [\w, ]+ ON(?: TABLE)?)\s+(\w+)/g;
  for (const m of src.matchAll(re)) out.push(m[1]);
  return out.filter((t) => OWNER.has(t));
}

const declared = new Map(CONTEXTS.map((c) => [c.name, c.readModels ?? {}]));

describe('context boundaries', () => {
  it('knows the owner of every tenant table from the migrations, and each context declares its own', () => {
    for (const c of CONTEXTS) for (const t of c.tenantTables) expect([t, OWNER.get(t)]).toEqual([t, c.name]);
  });

  it('every declared read model is another context\'s table, with a reason', () => {
    for (const [ctx, reads] of declared) {
      for (const [table, why] of Object.entries(reads)) {
        expect([ctx, table, OWNER.has(table) && OWNER.get(table) !== ctx]).toEqual([ctx, table, true]);
        expect(why.length).toBeGreaterThan(10);
      }
    }
  });

  it('a context\'s SQL names another context\'s table only as a declared read model', () => {
    const undeclared: string[] = [];
    const used = new Set<string>();
    for (const f of files(API).filter((x) => !x.includes('/migrations/') && !x.endsWith('.spec.ts'))) {
      const ctx = contextOf(f);
      for (const t of tablesNamed(readFileSync(f, 'utf8'))) {
        if (OWNER.get(t) === ctx) continue;
        if (declared.get(ctx)?.[t]) used.add(`${ctx}:${t}`);
        else undeclared.push(`${relative(ROOT, f)} reads ${OWNER.get(t)}'s table ${t}`);
      }
    }
    expect(undeclared).toEqual([]);
    // A declaration nothing uses any more is stale: remove it.
    const stale = [...declared].flatMap(([ctx, reads]) => Object.keys(reads).filter((t) => !used.has(`${ctx}:${t}`)).map((t) => `${ctx}:${t}`));
    expect(stale).toEqual([]);
  });

  it('migrations after the rule change only their own context\'s tables', () => {
    const strays: string[] = [];
    for (const f of migrationFiles) {
      const ts = Number(/(\d{13})/.exec(f)?.[1]);
      if (!(ts > LAST_GRANDFATHERED_MIGRATION)) continue;
      const ctx = contextOf(f);
      for (const t of tablesChanged(readFileSync(f, 'utf8'))) if (OWNER.get(t) !== ctx) strays.push(`${relative(ROOT, f)} changes ${OWNER.get(t)}'s table ${t}`);
    }
    expect(strays).toEqual([]);
  });
});
