import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 即时快招 (R-B4…B8): the prohibited-work list as data with its legal source (R-B7), job posts with
 * review, the day's check-in queue, placements from recommendation to 日结 settlement, compliance
 * refusals, disputes and removals with appeal, employer flags (non-payment, wage-arrears referrals).
 * Worker columns used by the candidate ranking are kept on the worker row so one indexed query ranks.
 */
export class Jobs1763800700000 implements MigrationInterface {
  name = 'Jobs1763800700000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE workers
        ADD COLUMN birth_date date,
        ADD COLUMN skills text[] NOT NULL DEFAULT '{}',
        ADD COLUMN availability text,
        ADD COLUMN home_area text,
        ADD COLUMN home_lat double precision,
        ADD COLUMN home_lng double precision,
        ADD COLUMN hardship_tier smallint NOT NULL DEFAULT 0 CHECK (hardship_tier BETWEEN 0 AND 3),
        ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
        ADD COLUMN completed_count integer NOT NULL DEFAULT 0,
        ADD COLUMN no_show_count integer NOT NULL DEFAULT 0,
        ADD COLUMN last_seen_on date,
        ADD COLUMN last_worked_on date,
        ADD COLUMN source text NOT NULL DEFAULT 'desk' CHECK (source IN ('desk', 'qr', 'import'));
      CREATE INDEX workers_occupations ON workers USING gin (occupations) WHERE status = 'active';
      CREATE INDEX workers_seen ON workers (tenant_id, last_seen_on) WHERE status = 'active';

      ALTER TABLE employers ADD COLUMN open_flags integer NOT NULL DEFAULT 0;

      -- Reference data, the same for every tenant: readable by all, written only by migrations.
      CREATE TABLE prohibited_work (
        code text PRIMARY KEY,
        name text NOT NULL,
        applies_to text NOT NULL CHECK (applies_to IN ('women', 'minors', 'women_and_minors')),
        legal_source text NOT NULL,
        note text NOT NULL DEFAULT ''
      );
      GRANT SELECT ON prohibited_work TO linggong_app_access;
      INSERT INTO prohibited_work (code, name, applies_to, legal_source, note) VALUES
        ('mine_underground', '矿山井下作业', 'women_and_minors',
         '《中华人民共和国劳动法》第五十九条、第六十四条；《女职工劳动保护特别规定》（国务院令第619号）附录第一条；《未成年工特殊保护规定》（劳部发〔1994〕498号）第三条', ''),
        ('physical_level4', '体力劳动强度分级标准中规定的第四级体力劳动强度的作业', 'women_and_minors',
         '《中华人民共和国劳动法》第五十九条、第六十四条；《女职工劳动保护特别规定》附录第一条；《未成年工特殊保护规定》第三条', '按 GB 3869 体力劳动强度分级'),
        ('heavy_load', '每小时负重 6 次以上、每次负重超过 20 公斤，或间断负重每次超过 25 公斤的作业', 'women_and_minors',
         '《女职工劳动保护特别规定》（国务院令第619号）附录第一条；《未成年工特殊保护规定》第三条', '未成年工另按该规定第三条第（十一）项'),
        ('toxic_substances', '接触有毒有害物质（铅、汞、苯等）超过国家卫生标准的作业', 'minors',
         '《中华人民共和国劳动法》第六十四条；《未成年工特殊保护规定》第三条', ''),
        ('height_level2', '高处作业分级标准中第二级以上的高处作业', 'minors',
         '《未成年工特殊保护规定》（劳部发〔1994〕498号）第三条', '按 GB/T 3608 高处作业分级'),
        ('cold_water_level3', '冷水作业分级标准中第三级以上的冷水作业', 'minors', '《未成年工特殊保护规定》第三条', ''),
        ('high_temp_level3', '高温作业分级标准中第三级以上的高温作业', 'minors', '《未成年工特殊保护规定》第三条', ''),
        ('low_temp_level3', '低温作业分级标准中第三级以上的低温作业', 'minors', '《未成年工特殊保护规定》第三条', ''),
        ('pressure_vessel', '锅炉司炉、压力容器操作等特种作业', 'minors', '《未成年工特殊保护规定》第三条', ''),
        ('blasting', '爆破、有易燃易爆物品的作业', 'minors', '《未成年工特殊保护规定》第三条', ''),
        ('logging', '森林业中的伐木、流放及守林作业', 'minors', '《未成年工特殊保护规定》第三条', '');

      CREATE TABLE posts (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        employer_id uuid NOT NULL REFERENCES employers(id),
        occupation text NOT NULL,
        title text NOT NULL,
        headcount integer NOT NULL CHECK (headcount BETWEEN 1 AND 500),
        hired_count integer NOT NULL DEFAULT 0,
        wage_fen integer NOT NULL CHECK (wage_fen > 0),
        wage_unit text NOT NULL CHECK (wage_unit IN ('hour', 'day', 'piece', 'month')),
        period text NOT NULL CHECK (period IN ('same_day', 'days', 'weeks')),
        period_count integer NOT NULL DEFAULT 1,
        start_at timestamptz NOT NULL,
        place text NOT NULL,
        -- Where the work is, for distance in the ranking: the market's coordinates unless given.
        lat double precision,
        lng double precision,
        requirements text NOT NULL DEFAULT '',
        skills text[] NOT NULL DEFAULT '{}',
        worker_fee_fen integer NOT NULL DEFAULT 0,
        hazards text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('pending_review', 'published', 'rejected', 'filled', 'expired', 'withdrawn')),
        red_flags jsonb NOT NULL DEFAULT '[]',
        review_reason text,
        reviewed_by uuid,
        reviewed_at timestamptz,
        expires_at timestamptz NOT NULL,
        source text NOT NULL DEFAULT 'desk' CHECK (source IN ('desk', 'third_party')),
        platform text,
        external_id text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX posts_external ON posts (tenant_id, platform, external_id) WHERE external_id IS NOT NULL;
      CREATE INDEX posts_market_status ON posts (market_id, status, expires_at);
      CREATE INDEX posts_region ON posts (region_code text_pattern_ops, occupation, created_at);

      CREATE TABLE check_ins (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL REFERENCES workers(id),
        day date NOT NULL,
        occupations text[] NOT NULL DEFAULT '{}',
        channel text NOT NULL CHECK (channel IN ('desk', 'qr')),
        status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'matched', 'left')),
        queue_number integer NOT NULL,
        checked_in_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        UNIQUE (market_id, day, worker_id),
        UNIQUE (market_id, day, queue_number)
      );
      CREATE INDEX check_ins_worker ON check_ins (worker_id, day);

      CREATE TABLE placements (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        post_id uuid NOT NULL REFERENCES posts(id),
        worker_id uuid NOT NULL REFERENCES workers(id),
        check_in_id uuid REFERENCES check_ins(id),
        status text NOT NULL CHECK (status IN ('recommended', 'confirmed', 'started', 'completed', 'no_show', 'cancelled')),
        score numeric(6, 2),
        worker_token_hash text,
        employer_token_hash text,
        employer_confirmed_at timestamptz,
        worker_confirmed_at timestamptz,
        started_at timestamptz,
        completed_at timestamptz,
        amount_paid_fen integer,
        paid_by text,
        paid_at timestamptz,
        pay_method text,
        no_show_party text CHECK (no_show_party IN ('worker', 'employer')),
        cancel_reason text,
        non_payment boolean NOT NULL DEFAULT false,
        recommended_by uuid,
        recommended_by_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- One live placement of a worker per post; a cancelled one may be followed by a new one.
      CREATE UNIQUE INDEX placements_live ON placements (post_id, worker_id) WHERE status NOT IN ('cancelled', 'no_show');
      CREATE INDEX placements_market_day ON placements (market_id, created_at);
      CREATE INDEX placements_worker ON placements (worker_id);

      CREATE TABLE compliance_refusals (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL REFERENCES workers(id),
        post_id uuid NOT NULL REFERENCES posts(id),
        rule text NOT NULL,
        items text[] NOT NULL DEFAULT '{}',
        legal_source text NOT NULL,
        actor_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX compliance_refusals_market ON compliance_refusals (market_id, created_at);

      CREATE TABLE worker_sanctions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        worker_id uuid NOT NULL REFERENCES workers(id),
        placement_id uuid REFERENCES placements(id),
        kind text NOT NULL CHECK (kind IN ('dispute', 'removal')),
        reason text NOT NULL,
        notice text NOT NULL,
        notice_at timestamptz NOT NULL DEFAULT now(),
        appeal_deadline timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'appealed', 'upheld', 'overturned')),
        appeal_statement text,
        appealed_at timestamptz,
        decision_reason text,
        decided_by uuid,
        decided_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX worker_sanctions_worker ON worker_sanctions (worker_id);

      CREATE TABLE employer_flags (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organisations(id),
        market_id uuid NOT NULL REFERENCES markets(id),
        region_code text NOT NULL,
        employer_id uuid NOT NULL REFERENCES employers(id),
        kind text NOT NULL CHECK (kind IN ('non_payment', 'wage_arrears_referral')),
        placement_id uuid REFERENCES placements(id),
        amount_owed_fen bigint NOT NULL,
        workers_affected integer NOT NULL DEFAULT 1,
        description text NOT NULL,
        referred_to text,
        referred_at timestamptz,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX employer_flags_employer ON employer_flags (employer_id);
    `);
    for (const t of ['posts', 'check_ins', 'placements', 'compliance_refusals', 'worker_sanctions', 'employer_flags']) {
      await q.query(`
        ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (app_is_platform() OR tenant_id = app_tenant() OR app_in_region(region_code));
        CREATE POLICY ${t}_insert ON ${t} FOR INSERT WITH CHECK (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()));
        CREATE POLICY ${t}_update ON ${t} FOR UPDATE USING (app_is_platform() OR (tenant_id = app_tenant() AND NOT app_read_only()))
          WITH CHECK (app_is_platform() OR tenant_id = app_tenant());
      `);
    }
    // Refusals are evidence: never updated.
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON posts, check_ins, placements, worker_sanctions, employer_flags TO linggong_app_access;
      GRANT SELECT, INSERT ON compliance_refusals TO linggong_app_access;

      -- Public pages (no sign-in) find an open market's tenant through this one function, then act
      -- in that tenant's scope only; the function exposes nothing else.
      CREATE FUNCTION public_market_scope(p_market uuid) RETURNS TABLE (tenant_id uuid, region_code text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT m.tenant_id, m.region_code FROM markets m WHERE m.id = p_market AND m.status = 'open' AND m.tenant_id IS NOT NULL
        $$;
      REVOKE ALL ON FUNCTION public_market_scope(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION public_market_scope(uuid) TO linggong_app_access;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION public_market_scope(uuid);
      DROP TABLE employer_flags, worker_sanctions, compliance_refusals, placements, check_ins, posts, prohibited_work;
      ALTER TABLE employers DROP COLUMN open_flags;
      DROP INDEX workers_occupations; DROP INDEX workers_seen;
      ALTER TABLE workers DROP COLUMN birth_date, DROP COLUMN skills, DROP COLUMN availability, DROP COLUMN home_area, DROP COLUMN home_lat,
        DROP COLUMN home_lng, DROP COLUMN hardship_tier, DROP COLUMN status, DROP COLUMN completed_count, DROP COLUMN no_show_count,
        DROP COLUMN last_seen_on, DROP COLUMN last_worked_on, DROP COLUMN source;
    `);
  }
}
