import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fresh planner statistics for the seen rows after the nightly rebuild (issue 13). The rebuild replaces every region's rows
 * (millions for a province), and until autovacuum analyses the table the planner still sees the old row counts: on the
 * benchmark a province's custom period was then read by a bitmap heap scan and a sort (≈ 39 ms a period) instead of an
 * index-only scan and a hash aggregate (≈ 8 ms). The application role does not own the table, so it analyses it through this
 * function (owner's rights, that one table only); `AnalyticsService.refreshRegionSeen` calls it after rebuilding any region.
 */
export class AnalyticsSeenStatistics1763806500000 implements MigrationInterface {
  name = 'AnalyticsSeenStatistics1763806500000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION analytics_region_seen_analyze() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        ANALYZE analytics_region_seen;
      END $$;
      REVOKE ALL ON FUNCTION analytics_region_seen_analyze() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION analytics_region_seen_analyze() TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION analytics_region_seen_analyze()');
  }
}
