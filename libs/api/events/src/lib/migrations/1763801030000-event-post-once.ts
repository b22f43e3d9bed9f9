import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A post came with one event at most: linked to several, its hires would be counted by each of them.
 * The unique index replaces the plain one on post_id.
 */
export class EventPostOnce1763801030000 implements MigrationInterface {
  name = 'EventPostOnce1763801030000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNIQUE INDEX market_event_posts_one_event ON market_event_posts (post_id);
      DROP INDEX market_event_posts_post;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX market_event_posts_post ON market_event_posts (post_id);
      DROP INDEX market_event_posts_one_event;
    `);
  }
}
