import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['market_events', 'market_event_posts'] as const;

/**
 * Events (R-B13): gig fairs, night markets, recruiting caravans and live-streamed recruiting, with
 * their attendance, and the posts that came with them (hires are counted from those posts' placements).
 */
export class Events1763801010000 implements MigrationInterface {
  name = 'Events1763801010000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE market_events (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('fair', 'night_market', 'caravan', 'livestream')),
        title text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        place text NOT NULL DEFAULT '',
        stream_url text CHECK (kind <> 'livestream' OR stream_url IS NOT NULL),
        organiser text NOT NULL DEFAULT '',
        note text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
        status_reason text,
        status_at timestamptz,
        status_by uuid,
        workers integer CHECK (workers >= 0),
        employers integer CHECK (employers >= 0),
        viewers integer CHECK (viewers >= 0),
        attendance_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX market_events_market ON market_events (market_id, starts_at);

      CREATE TABLE market_event_posts (
        event_id uuid NOT NULL REFERENCES market_events(id),
        post_id uuid NOT NULL REFERENCES posts(id),
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        linked_by uuid,
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, post_id)
      );
      CREATE INDEX market_event_posts_post ON market_event_posts (post_id);
    `);
    for (const t of TABLES) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (
          (SELECT app_is_platform()) OR tenant_id = (SELECT app_tenant())
          OR ((SELECT app_region_prefix()) <> '' AND region_code LIKE (SELECT app_region_prefix()) || '%'));
        CREATE POLICY ${t}_insert ON ${t} FOR INSERT WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
        CREATE POLICY ${t}_update ON ${t} FOR UPDATE USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
          WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      `);
    }
    await q.query('GRANT SELECT, INSERT, UPDATE ON market_events, market_event_posts TO linggong_app_access;');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE market_event_posts, market_events');
  }
}
