import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['workers', 'check_ins', 'placements'] as const;

/**
 * The read policies of the tables the candidate ranking reads (workers, check_ins, placements),
 * rewritten so the caller's scope is computed once per statement (an InitPlan) instead of calling
 * current_setting() for every row: the same rule, measured by tools/bench `rank`. The GIN index on
 * workers.occupations is dropped: under RLS `@>` is not leakproof, so the app role can never use it;
 * a covering index lets the pool's check-ins be read from the index alone.
 */
export class RankingPolicies1763800710000 implements MigrationInterface {
  name = 'RankingPolicies1763800710000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_region_prefix() RETURNS text LANGUAGE sql STABLE AS
        $$ SELECT COALESCE(current_setting('app.region_prefix', true), '') $$;
      DROP INDEX workers_occupations;
      -- The ranking's pool read by index only: a market's check-ins of the last days with what they came for.
      CREATE INDEX check_ins_pool ON check_ins (market_id, day) INCLUDE (worker_id, occupations, status, checked_in_at, tenant_id, region_code);
    `);
    for (const t of TABLES) {
      await q.query(`
        ALTER POLICY ${t}_read ON ${t} USING (
          (SELECT app_is_platform()) OR tenant_id = (SELECT app_tenant())
          OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%'))`);
    }
  }
  async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      await q.query(`ALTER POLICY ${t}_read ON ${t} USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code))`);
    }
    await q.query(`DROP INDEX check_ins_pool; CREATE INDEX workers_occupations ON workers USING gin (occupations) WHERE status = 'active'; DROP FUNCTION app_region_prefix();`);
  }
}
