import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The market directory (名录, issue 14 §1; R-E1, R-E2, R-A2).
 *
 * - `directory_points`: gathering points a county lists that no operator runs in Linggong (spontaneous or
 *   commercial), so the directory is complete; their figures are the county's estimates.
 * - `directory_versions`: one frozen directory of a province, for a quarter's figures (the quarter-end job's,
 *   at most one a province and quarter, or on demand). Open until the province publishes it; published is final.
 * - `directory_listings`: one row a market or point in a version (the 38号 fields as frozen, the figures from the
 *   rolled-up work log of the quarter), with the county's review: pending → confirmed, or returned to the
 *   operator with a reason → (the operator fixes the market and resubmits) pending again.
 * - `directory_compilations`: the city's compilation of its counties' confirmed listings in a version.
 *
 * Row-level security: listings carry the market's tenant (its operator reads its own, to see a correction);
 * authorities read their region; the public reads a published version's listings through two definer functions.
 */
export class Directory1763804600000 implements MigrationInterface {
  name = 'Directory1763804600000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_points (
        id uuid PRIMARY KEY,
        region_code text NOT NULL REFERENCES regions(code) CHECK (length(region_code) = 6),
        name text NOT NULL,
        nature text NOT NULL CHECK (nature IN ('spontaneous', 'commercial')),
        address text NOT NULL,
        longitude double precision CHECK (longitude BETWEEN 73 AND 136),
        latitude double precision CHECK (latitude BETWEEN 3 AND 54),
        opening_hours text,
        occupations text[] NOT NULL DEFAULT '{}',
        contacts jsonb NOT NULL DEFAULT '[]',
        hotline text,
        seeker_scale integer CHECK (seeker_scale >= 0),
        daily_hires numeric(10, 2) CHECK (daily_hires >= 0),
        main_occupations text[] NOT NULL DEFAULT '{}',
        note text NOT NULL DEFAULT '',
        removed_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX directory_points_name ON directory_points (region_code, name) WHERE removed_at IS NULL;

      CREATE TABLE directory_versions (
        id uuid PRIMARY KEY,
        province_code text NOT NULL CHECK (province_code ~ '^\\d{2}$'),
        quarter text NOT NULL CHECK (quarter ~ '^\\d{4}Q[1-4]$'),
        seq integer NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('quarter_end', 'on_demand')),
        figures_from date NOT NULL,
        figures_to date NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'published')),
        frozen_at timestamptz NOT NULL DEFAULT now(),
        frozen_by uuid,
        published_at timestamptz,
        published_by uuid,
        UNIQUE (province_code, seq)
      );
      -- The quarter-end job freezes a province's quarter once, however often it runs.
      CREATE UNIQUE INDEX directory_versions_quarter_end ON directory_versions (province_code, quarter) WHERE trigger = 'quarter_end';

      CREATE TABLE directory_listings (
        id uuid PRIMARY KEY,
        version_id uuid NOT NULL REFERENCES directory_versions(id),
        source text NOT NULL CHECK (source IN ('market', 'point')),
        source_id uuid NOT NULL,
        tenant_id uuid REFERENCES organisations(id),
        region_code text NOT NULL CHECK (length(region_code) = 6),
        name text NOT NULL,
        nature text NOT NULL CHECK (nature IN ('public', 'commercial', 'spontaneous')),
        address text,
        longitude double precision,
        latitude double precision,
        opening_hours text,
        occupations text[] NOT NULL DEFAULT '{}',
        contacts jsonb NOT NULL DEFAULT '[]',
        hotline text,
        seeker_scale integer,
        main_occupations text[] NOT NULL DEFAULT '{}',
        daily_hires numeric(10, 2),
        hires integer,
        open_days integer,
        figures_basis text NOT NULL CHECK (figures_basis IN ('work_log', 'estimate')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'returned')),
        return_reason text,
        returned_at timestamptz,
        returned_by uuid,
        confirmed_at timestamptz,
        confirmed_by uuid,
        resubmitted_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (version_id, source, source_id)
      );
      CREATE INDEX directory_listings_region ON directory_listings (version_id, region_code text_pattern_ops);
      CREATE INDEX directory_listings_tenant ON directory_listings (tenant_id, status);

      CREATE TABLE directory_compilations (
        version_id uuid NOT NULL REFERENCES directory_versions(id),
        city_code text NOT NULL CHECK (length(city_code) = 4),
        compiled_at timestamptz NOT NULL DEFAULT now(),
        compiled_by uuid,
        PRIMARY KEY (version_id, city_code)
      );

      ALTER TABLE directory_points ENABLE ROW LEVEL SECURITY;
      ALTER TABLE directory_points FORCE ROW LEVEL SECURITY;
      CREATE POLICY directory_points_read ON directory_points FOR SELECT USING (app_is_platform() OR app_in_region(region_code));
      CREATE POLICY directory_points_insert ON directory_points FOR INSERT
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'county' AND app_in_region(region_code)));
      CREATE POLICY directory_points_update ON directory_points FOR UPDATE
        USING (app_is_platform() OR (app_org_kind() = 'county' AND app_in_region(region_code)))
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'county' AND app_in_region(region_code)));

      -- Versions are metadata (a quarter, a state, dates): every session reads them; the province (or the
      -- platform's job) freezes and publishes its own.
      ALTER TABLE directory_versions ENABLE ROW LEVEL SECURITY;
      ALTER TABLE directory_versions FORCE ROW LEVEL SECURITY;
      CREATE POLICY directory_versions_read ON directory_versions FOR SELECT USING (true);
      CREATE POLICY directory_versions_insert ON directory_versions FOR INSERT
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'province' AND app_in_region(province_code)));
      CREATE POLICY directory_versions_update ON directory_versions FOR UPDATE
        USING (app_is_platform() OR (app_org_kind() = 'province' AND app_in_region(province_code)))
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'province' AND app_in_region(province_code)));

      ALTER TABLE directory_listings ENABLE ROW LEVEL SECURITY;
      ALTER TABLE directory_listings FORCE ROW LEVEL SECURITY;
      CREATE POLICY directory_listings_read ON directory_listings FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));

      -- The public directory reads published listings only, through these two definer functions: RLS on the
      -- table itself stays the tenant and region boundary (tests/api/rls), and nothing unpublished is reachable.
      CREATE FUNCTION public_directory_listings() RETURNS SETOF directory_listings
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT l.* FROM directory_listings l WHERE l.version_id IN (
            SELECT DISTINCT ON (province_code) id FROM directory_versions WHERE status = 'published' ORDER BY province_code, seq DESC)
        $$;
      CREATE FUNCTION public_directory_listing(p_id uuid) RETURNS SETOF directory_listings
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT l.* FROM directory_listings l JOIN directory_versions v ON v.id = l.version_id WHERE l.id = p_id AND v.status = 'published'
        $$;
      REVOKE ALL ON FUNCTION public_directory_listings(), public_directory_listing(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION public_directory_listings(), public_directory_listing(uuid) TO linggong_app_access;
      CREATE POLICY directory_listings_insert ON directory_listings FOR INSERT
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'province' AND app_in_region(region_code)));
      CREATE POLICY directory_listings_update ON directory_listings FOR UPDATE
        USING (app_is_platform() OR (app_org_kind() = 'county' AND app_in_region(region_code))
               OR (tenant_id = app_tenant() AND NOT app_read_only()))
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'county' AND app_in_region(region_code))
               OR (tenant_id = app_tenant() AND NOT app_read_only()));

      ALTER TABLE directory_compilations ENABLE ROW LEVEL SECURITY;
      ALTER TABLE directory_compilations FORCE ROW LEVEL SECURITY;
      CREATE POLICY directory_compilations_read ON directory_compilations FOR SELECT USING (true);
      CREATE POLICY directory_compilations_insert ON directory_compilations FOR INSERT
        WITH CHECK (app_is_platform() OR (app_org_kind() = 'city' AND app_in_region(city_code)));

      GRANT SELECT, INSERT, UPDATE ON directory_points, directory_versions, directory_listings TO linggong_app_access;
      GRANT SELECT, INSERT ON directory_compilations TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION public_directory_listings(), public_directory_listing(uuid);
      DROP TABLE directory_compilations, directory_listings, directory_versions, directory_points;
`);
  }
}
