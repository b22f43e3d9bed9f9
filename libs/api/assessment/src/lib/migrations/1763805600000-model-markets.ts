import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Model markets (示范零工市场, issue 15 §5, R-F4): a list proposed from a cycle's results by the province (level
 * province) or a city (level city) with the eligibility of every market of the cycle, 公示 for N days, objections,
 * designation; each market's title, revocable with reasons. One live title (under 公示 or designated) per market and
 * level. The public directory reads live titles through a definer function (no sign-in).
 */
export class ModelMarkets1763805600000 implements MigrationInterface {
  name = 'ModelMarkets1763805600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE model_market_lists (
        id uuid PRIMARY KEY,
        level text NOT NULL CHECK (level IN ('province', 'city')),
        -- The granting authority's region: the province (2 digits) or the city (4 digits).
        region_code text NOT NULL CHECK ((level = 'province' AND region_code ~ '^[0-9]{2}$') OR (level = 'city' AND region_code ~ '^[0-9]{4}$')),
        cycle_id uuid NOT NULL REFERENCES assessment_cycles(id),
        title text NOT NULL,
        min_grade text NOT NULL,
        notice_days smallint NOT NULL CHECK (notice_days BETWEEN 5 AND 30),
        notice_from date NOT NULL,
        notice_until date NOT NULL CHECK (notice_until >= notice_from),
        state text NOT NULL DEFAULT 'notice' CHECK (state IN ('notice', 'designated')),
        -- Every market of the cycle in the region: candidates with their reasons, excluded ones with why (the rules' answer on the proposal day).
        evaluation jsonb NOT NULL,
        proposed_by uuid NOT NULL,
        proposed_at timestamptz NOT NULL DEFAULT now(),
        designated_by uuid,
        designated_at timestamptz
      );
      CREATE INDEX model_market_lists_region ON model_market_lists (region_code text_pattern_ops, proposed_at);

      CREATE TABLE model_markets (
        id uuid PRIMARY KEY,
        list_id uuid NOT NULL REFERENCES model_market_lists(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        level text NOT NULL CHECK (level IN ('province', 'city')),
        -- The market's county (the region boundary) and the granting authority's region.
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        grant_region text NOT NULL,
        state text NOT NULL DEFAULT 'notice' CHECK (state IN ('notice', 'designated', 'dropped', 'revoked')),
        reasons jsonb NOT NULL,
        decision_reason text,
        designated_at timestamptz,
        revoked_reason text,
        revoked_by uuid,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (list_id, market_id)
      );
      -- One live title per market and level: two proposals at once cannot both put a market under 公示.
      CREATE UNIQUE INDEX model_markets_live ON model_markets (market_id, level) WHERE state IN ('notice', 'designated');
      CREATE INDEX model_markets_region ON model_markets (region_code text_pattern_ops);

      CREATE TABLE model_market_objections (
        id uuid PRIMARY KEY,
        list_id uuid NOT NULL REFERENCES model_market_lists(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('letter', 'phone', 'email', 'visit', 'online')),
        content text NOT NULL,
        recorded_by uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX model_market_objections_list ON model_market_objections (list_id, market_id);

      -- The public directory's read (no sign-in): live titles only, no reasons, objections or people.
      CREATE FUNCTION public_model_titles() RETURNS TABLE (market_id uuid, market_name text, market_region text, level text, state text, grant_region text,
          list_title text, notice_from date, notice_until date, designated_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT m.market_id, k.name, k.region_code, m.level, m.state, m.grant_region, l.title, l.notice_from, l.notice_until, m.designated_at
          FROM model_markets m JOIN model_market_lists l ON l.id = m.list_id JOIN markets k ON k.id = m.market_id WHERE m.state IN ('notice', 'designated')
        $$;
      REVOKE ALL ON FUNCTION public_model_titles() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION public_model_titles() TO linggong_app_access;
    `);
    const region = `app_is_platform() OR app_in_region(region_code)`;
    // A province's list is read by its cities and counties too (its region is a prefix of theirs).
    const regionOrAbove = `${region} OR (current_setting('app.region_prefix', true) <> '' AND current_setting('app.region_prefix', true) LIKE region_code || '%')`;
    await q.query(`
      ALTER TABLE model_market_lists ENABLE ROW LEVEL SECURITY; ALTER TABLE model_market_lists FORCE ROW LEVEL SECURITY;
      CREATE POLICY model_market_lists_read ON model_market_lists FOR SELECT USING (${regionOrAbove});
      CREATE POLICY model_market_lists_insert ON model_market_lists FOR INSERT WITH CHECK (${region});
      CREATE POLICY model_market_lists_update ON model_market_lists FOR UPDATE USING (${region}) WITH CHECK (${region});
      GRANT SELECT, INSERT, UPDATE ON model_market_lists TO linggong_app_access;

      ALTER TABLE model_markets ENABLE ROW LEVEL SECURITY; ALTER TABLE model_markets FORCE ROW LEVEL SECURITY;
      CREATE POLICY model_markets_read ON model_markets FOR SELECT USING (${region});
      CREATE POLICY model_markets_insert ON model_markets FOR INSERT WITH CHECK (app_is_platform() OR (app_in_region(region_code) AND app_in_region(grant_region)));
      CREATE POLICY model_markets_update ON model_markets FOR UPDATE USING (app_is_platform() OR app_in_region(grant_region)) WITH CHECK (app_is_platform() OR app_in_region(grant_region));
      GRANT SELECT, INSERT, UPDATE ON model_markets TO linggong_app_access;

      ALTER TABLE model_market_objections ENABLE ROW LEVEL SECURITY; ALTER TABLE model_market_objections FORCE ROW LEVEL SECURITY;
      CREATE POLICY model_market_objections_read ON model_market_objections FOR SELECT USING (${region});
      CREATE POLICY model_market_objections_insert ON model_market_objections FOR INSERT WITH CHECK (${region});
      GRANT SELECT, INSERT ON model_market_objections TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION public_model_titles(); DROP TABLE model_market_objections; DROP TABLE model_markets; DROP TABLE model_market_lists;`);
  }
}
