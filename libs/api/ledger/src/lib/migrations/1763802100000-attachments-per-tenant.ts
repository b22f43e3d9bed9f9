import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments bound to their tenant (issue 12, finding 2).
 *
 * Before: one row per hash for everybody. A second operator uploading the same bytes stored nothing
 * (ON CONFLICT DO NOTHING) and relied on the first one's row; a route that cited attachments without
 * checking them (employer verification) accepted another tenant's hash; and the read policy let
 * anyone who could see an entry citing a hash read the row of whichever tenant had stored it — so a
 * citation in tenant B (or in B's region) opened tenant A's file to B and to B's authorities.
 *
 * After:
 * - The key is (tenant, hash): each tenant's upload is its own row (platform uploads keep tenant NULL).
 * - Existing data, safely: where tenant T cites hash h in its work log, has no row of its own for h,
 *   but DID upload h itself (its `ledger.attachment_upload` audit event), T gets its own copy (the
 *   bytes are the same by definition of the hash; the name is T's own, from its audit event). A
 *   citation of a hash T never uploaded stays as it is in the append-only chain but opens nothing:
 *   downloading it answers 404 to T and to T's authorities.
 * - Reading follows the attachment's own tenant: its tenant, the platform, or whoever may read an
 *   entry OF THAT SAME TENANT citing it (so an authority reads it only where its own tenant cited it).
 * - A trigger refuses a work-log entry citing a hash its tenant has not stored (behind the service's
 *   422), so no route, present or future, can cite across tenants.
 */
export class AttachmentsPerTenant1763802100000 implements MigrationInterface {
  name = 'AttachmentsPerTenant1763802100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ledger_attachments DROP CONSTRAINT ledger_attachments_pkey;
      ALTER TABLE ledger_attachments ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
      ALTER TABLE ledger_attachments ADD CONSTRAINT ledger_attachments_pkey PRIMARY KEY (id);
      ALTER TABLE ledger_attachments ADD CONSTRAINT ledger_attachments_key UNIQUE NULLS NOT DISTINCT (tenant_id, hash);
      CREATE INDEX ledger_attachments_hash ON ledger_attachments (hash);
      CREATE INDEX ledger_entries_attachments ON ledger_entries USING gin (attachments) WHERE attachments <> '{}';

      INSERT INTO ledger_attachments (tenant_id, hash, alg, filename, mime, size, content, created_at)
      SELECT DISTINCT ON (c.tenant_id, c.hash) c.tenant_id, c.hash, a.alg,
             coalesce(nullif(u.summary->>'filename', ''), 'attachment'), 'application/octet-stream', a.size, a.content, u.occurred_at
      FROM (SELECT DISTINCT e.tenant_id, h AS hash FROM ledger_entries e CROSS JOIN LATERAL unnest(e.attachments) AS h WHERE e.tenant_id IS NOT NULL) c
      JOIN ledger_attachments a ON a.hash = c.hash
      JOIN audit_events u ON u.action = 'ledger.attachment_upload' AND u.subject_id = c.hash AND u.tenant_id = c.tenant_id
      WHERE NOT EXISTS (SELECT 1 FROM ledger_attachments x WHERE x.tenant_id = c.tenant_id AND x.hash = c.hash)
      ORDER BY c.tenant_id, c.hash, u.occurred_at;

      -- True when every hash names an attachment stored by p_tenant. SECURITY DEFINER: it answers only
      -- yes or no, whatever the caller may read.
      CREATE FUNCTION ledger_attachments_owned(p_tenant uuid, p_hashes text[]) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT (SELECT count(DISTINCT h) FROM unnest(coalesce(p_hashes, '{}')) AS h)
             = (SELECT count(DISTINCT a.hash) FROM ledger_attachments a WHERE a.tenant_id IS NOT DISTINCT FROM p_tenant AND a.hash = ANY(coalesce(p_hashes, '{}')))
      $$;
      REVOKE ALL ON FUNCTION ledger_attachments_owned(uuid, text[]) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION ledger_attachments_owned(uuid, text[]) TO linggong_app_access;

      CREATE FUNCTION ledger_entries_own_attachments() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(NEW.attachments) > 0 AND NOT ledger_attachments_owned(NEW.tenant_id, NEW.attachments) THEN
          RAISE EXCEPTION 'ledger entry cites an attachment its tenant has not stored' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ledger_entries_own_attachments BEFORE INSERT ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_entries_own_attachments();

      DROP POLICY ledger_attachments_read ON ledger_attachments;
      CREATE POLICY ledger_attachments_read ON ledger_attachments FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant()
               OR EXISTS (SELECT 1 FROM ledger_entries e
                          WHERE e.tenant_id = ledger_attachments.tenant_id AND e.attachments @> ARRAY[ledger_attachments.hash]));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY ledger_attachments_read ON ledger_attachments;
      CREATE POLICY ledger_attachments_read ON ledger_attachments FOR SELECT
        USING (app_is_platform() OR tenant_id = app_tenant()
               OR EXISTS (SELECT 1 FROM ledger_entries e WHERE ledger_attachments.hash = ANY(e.attachments)));
      DROP TRIGGER ledger_entries_own_attachments ON ledger_entries;
      DROP FUNCTION ledger_entries_own_attachments();
      DROP FUNCTION ledger_attachments_owned(uuid, text[]);
      DROP INDEX ledger_entries_attachments;
      DROP INDEX ledger_attachments_hash;
      -- Back to one row per hash: the earliest copy of each hash is kept.
      DELETE FROM ledger_attachments a USING ledger_attachments b
        WHERE a.hash = b.hash AND (a.created_at, a.id) > (b.created_at, b.id);
      ALTER TABLE ledger_attachments DROP CONSTRAINT ledger_attachments_key;
      ALTER TABLE ledger_attachments DROP CONSTRAINT ledger_attachments_pkey;
      ALTER TABLE ledger_attachments DROP COLUMN id;
      ALTER TABLE ledger_attachments ADD PRIMARY KEY (hash);
    `);
  }
}
