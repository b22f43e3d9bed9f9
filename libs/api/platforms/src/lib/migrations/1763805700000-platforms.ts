import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Third-party platforms (issue 18 §3–4, R-E8): the credentials a county or an operator registers for a set of
 * markets, the outcomes they report (idempotent per platform, step and external id) and the webhook deliveries.
 *
 * None of the three tables has a `tenant_id`: a platform registered by a county serves markets of several
 * operators. RLS instead follows what the reader may see: a platform row its region's authorities, its owner
 * organisation and the platform admin; an outcome whoever sees its market (the markets policy applies inside the
 * sub-select); a delivery whoever sees its platform. The signed call path reads a platform by app key through the
 * `platform_credentials` SECURITY DEFINER function, before any actor exists; the secret is stored encrypted
 * (AES-256-GCM under the server key, `Pii`), because verifying an HMAC needs the secret itself.
 */
export class Platforms1763805700000 implements MigrationInterface {
  name = 'Platforms1763805700000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE platforms (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_-]{2,40}$'),
        name text NOT NULL,
        app_key text NOT NULL UNIQUE,
        secret_enc text NOT NULL,
        scopes text[] NOT NULL CHECK (scopes <@ ARRAY['posts:write', 'outcomes:write', 'posts:read']::text[] AND cardinality(scopes) > 0),
        market_ids uuid[] NOT NULL CHECK (cardinality(market_ids) > 0),
        owner_org_id uuid NOT NULL REFERENCES organisations(id),
        region_code text NOT NULL,
        rate_per_minute int NOT NULL CHECK (rate_per_minute BETWEEN 1 AND 6000),
        webhook_url text,
        webhook_events text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        disabled_at timestamptz,
        disabled_reason text,
        calls bigint NOT NULL DEFAULT 0,
        last_call_at timestamptz,
        -- The webhook scan's position in the work log: entries recorded from here on (less a small overlap) are looked at.
        webhook_cursor timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX platforms_region ON platforms (region_code);
      CREATE INDEX platforms_owner ON platforms (owner_org_id);
      CREATE INDEX platforms_markets ON platforms USING gin (market_ids);

      CREATE TABLE platform_outcomes (
        id uuid PRIMARY KEY,
        platform_id uuid NOT NULL REFERENCES platforms(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        step text NOT NULL CHECK (step IN ('hire', 'start', 'settlement')),
        external_id text NOT NULL,
        post_id uuid,
        persons int NOT NULL CHECK (persons BETWEEN 1 AND 500),
        amount_fen bigint,
        occurred_at timestamptz NOT NULL,
        ledger_seq bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform_id, step, external_id)
      );
      CREATE INDEX platform_outcomes_market ON platform_outcomes (market_id, created_at);

      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        platform_id uuid NOT NULL REFERENCES platforms(id),
        event text NOT NULL CHECK (event IN ('post.published', 'hire.started', 'report.accepted')),
        event_key text NOT NULL,
        url text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        last_status int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        UNIQUE (platform_id, event, event_key)
      );
      CREATE INDEX webhook_deliveries_platform ON webhook_deliveries (platform_id, created_at DESC);
      CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (created_at) WHERE status = 'pending';
    `);
    for (const t of ['platforms', 'platform_outcomes', 'webhook_deliveries']) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`);
    }
    const OWNS = `(app_is_platform() OR app_in_region(region_code) OR owner_org_id = app_org_id())`;
    await q.query(`
      CREATE POLICY platforms_read ON platforms FOR SELECT USING ${OWNS};
      CREATE POLICY platforms_insert ON platforms FOR INSERT WITH CHECK ${OWNS};
      CREATE POLICY platforms_update ON platforms FOR UPDATE USING ${OWNS} WITH CHECK ${OWNS};
      CREATE POLICY platform_outcomes_read ON platform_outcomes FOR SELECT USING (EXISTS (SELECT 1 FROM markets m WHERE m.id = market_id));
      CREATE POLICY platform_outcomes_insert ON platform_outcomes FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM markets m WHERE m.id = market_id));
      CREATE POLICY webhook_deliveries_read ON webhook_deliveries FOR SELECT USING (EXISTS (SELECT 1 FROM platforms p WHERE p.id = platform_id));
      CREATE POLICY webhook_deliveries_insert ON webhook_deliveries FOR INSERT WITH CHECK (app_is_platform());
      CREATE POLICY webhook_deliveries_update ON webhook_deliveries FOR UPDATE USING (app_is_platform()) WITH CHECK (app_is_platform());
      GRANT SELECT, INSERT, UPDATE ON platforms, webhook_deliveries TO linggong_app_access;
      GRANT SELECT, INSERT ON platform_outcomes TO linggong_app_access;

      -- The signed call path: a platform by its app key, before any actor exists (nothing else of the row).
      CREATE FUNCTION platform_credentials(p_key text)
        RETURNS TABLE (id uuid, code text, name text, secret_enc text, scopes text[], market_ids uuid[], status text, rate_per_minute int)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT p.id, p.code, p.name, p.secret_enc, p.scopes, p.market_ids, p.status, p.rate_per_minute FROM platforms p WHERE p.app_key = p_key
        $$;
      REVOKE ALL ON FUNCTION platform_credentials(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION platform_credentials(text) TO linggong_app_access;
      -- Codes are unique across every registrant, also those the caller cannot see.
      CREATE FUNCTION platform_code_taken(p_code text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ SELECT EXISTS (SELECT 1 FROM platforms WHERE code = p_code) $$;
      REVOKE ALL ON FUNCTION platform_code_taken(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION platform_code_taken(text) TO linggong_app_access;
      -- The market a signed call names, if it is one of the platform's and open: its operator (the call's tenant) and region.
      CREATE FUNCTION platform_market_scope(p_platform uuid, p_market uuid) RETURNS TABLE (tenant_id uuid, region_code text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT m.tenant_id, m.region_code FROM platforms p JOIN markets m ON m.id = p_market
          WHERE p.id = p_platform AND p_market = ANY(p.market_ids) AND m.status = 'open' AND m.tenant_id IS NOT NULL
        $$;
      REVOKE ALL ON FUNCTION platform_market_scope(uuid, uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION platform_market_scope(uuid, uuid) TO linggong_app_access;
      -- The province feed (public, no actor): post changes from the work log of open markets in a region, after a position
      -- (recorded_at, market, seq), with each post's public fields as they are now.
      CREATE FUNCTION feed_post_changes(p_region text, p_at timestamptz, p_market uuid, p_seq bigint, p_limit int)
        RETURNS TABLE (recorded_at timestamptz, market_id uuid, seq bigint, kind text, post_id uuid, market_name text, region_code text,
                       employer_name text, employer_verified boolean, title text, occupation text, headcount int, wage_fen int, wage_unit text,
                       period text, start_at timestamptz, expires_at timestamptz, place text, status text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT l.recorded_at, l.market_id, l.seq, l.kind, p.id, m.name, m.region_code, e.name, e.status = 'verified', p.title, p.occupation,
                 p.headcount, p.wage_fen, p.wage_unit, p.period, p.start_at, p.expires_at, p.place, p.status
          FROM ledger_entries l
          JOIN markets m ON m.id = l.market_id AND m.status = 'open' AND m.region_code LIKE p_region || '%'
          JOIN posts p ON p.id = (l.payload->>'postId')::uuid
          JOIN employers e ON e.id = p.employer_id
          WHERE l.kind IN ('post_published', 'post_closed') AND l.corrects IS NULL
            AND (p_at IS NULL OR (l.recorded_at, l.market_id, l.seq) > (p_at, p_market, p_seq))
          ORDER BY l.recorded_at, l.market_id, l.seq
          LIMIT p_limit
        $$;
      REVOKE ALL ON FUNCTION feed_post_changes(text, timestamptz, uuid, bigint, int) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION feed_post_changes(text, timestamptz, uuid, bigint, int) TO linggong_app_access;
      -- The open posts of a region now (published, not expired), newest first, and the work log's latest position (the cursor).
      CREATE FUNCTION feed_open_posts(p_region text, p_limit int, p_offset int)
        RETURNS TABLE (total bigint, post_id uuid, market_id uuid, market_name text, region_code text, employer_name text, employer_verified boolean,
                       title text, occupation text, headcount int, wage_fen int, wage_unit text, period text, start_at timestamptz, expires_at timestamptz,
                       place text, status text, published_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT count(*) OVER (), p.id, m.id, m.name, m.region_code, e.name, e.status = 'verified', p.title, p.occupation, p.headcount, p.wage_fen,
                 p.wage_unit, p.period, p.start_at, p.expires_at, p.place, p.status, p.reviewed_at
          FROM posts p JOIN markets m ON m.id = p.market_id AND m.status = 'open' JOIN employers e ON e.id = p.employer_id
          WHERE p.status = 'published' AND p.expires_at > now() AND m.region_code LIKE p_region || '%'
          ORDER BY p.reviewed_at DESC NULLS LAST, p.id
          LIMIT p_limit OFFSET p_offset
        $$;
      REVOKE ALL ON FUNCTION feed_open_posts(text, int, int) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION feed_open_posts(text, int, int) TO linggong_app_access;
      CREATE FUNCTION feed_post_position(p_region text) RETURNS TABLE (recorded_at timestamptz, market_id uuid, seq bigint)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT l.recorded_at, l.market_id, l.seq FROM ledger_entries l JOIN markets m ON m.id = l.market_id AND m.region_code LIKE p_region || '%'
          WHERE l.kind IN ('post_published', 'post_closed') ORDER BY l.recorded_at DESC, l.market_id DESC, l.seq DESC LIMIT 1
        $$;
      REVOKE ALL ON FUNCTION feed_post_position(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION feed_post_position(text) TO linggong_app_access;
      -- An accepted call counts on its platform (the console shows calls and the last call).
      CREATE FUNCTION platform_touch(p_id uuid) RETURNS void
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
          UPDATE platforms SET calls = calls + 1, last_call_at = now() WHERE id = p_id
        $$;
      REVOKE ALL ON FUNCTION platform_touch(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION platform_touch(uuid) TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION platform_touch(uuid); DROP FUNCTION feed_post_position(text); DROP FUNCTION feed_open_posts(text, int, int); DROP FUNCTION feed_post_changes(text, timestamptz, uuid, bigint, int); DROP FUNCTION platform_market_scope(uuid, uuid); DROP FUNCTION platform_code_taken(text); DROP FUNCTION platform_credentials(text); DROP TABLE webhook_deliveries, platform_outcomes, platforms;`);
  }
}
