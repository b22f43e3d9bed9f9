import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DEFAULT_ALG } from '@linggong/ledger-chain';
import { type Actor } from '@linggong/domain';
import { ProblemException, TenantDb, notFound } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';

/**
 * Photos and documents cited by work-log entries (manual entries, employer verification evidence,
 * complaint handling records), stored content-addressed PER TENANT: the key is (tenant, hash), so
 * two operators storing the same bytes each get their own row, neither learns of the other, and
 * neither blocks the other (issue 12, finding 2). An entry may cite only attachments of its own
 * tenant (`requireOwned`, called by `LedgerService.append`, and a trigger on ledger_entries); one is
 * read by its own tenant, the platform, and an authority over a region where that same tenant
 * cited it (RLS policy `ledger_attachments_read`).
 */
@Injectable()
export class AttachmentsService {
  constructor(private readonly db: TenantDb, private readonly audit: AuditService) {}

  upload(actor: Actor, input: { filename: string; mime: string; contentBase64: string }): Promise<{ hash: string; size: number; alg: string }> {
    const content = Buffer.from(input.contentBase64, 'base64');
    if (content.length > 5 * 1024 * 1024) throw new ProblemException(413, 'attachment_too_large');
    // The hash is over the bytes themselves, so anyone holding the file can check it against the entry.
    const hash = createHash(DEFAULT_ALG).update(content).digest('hex');
    return this.db.run(actor, async (em) => {
      // Only a conflict with the caller's own earlier upload of the same bytes is possible (the key is
      // tenant + hash): the answer is the same whether or not anyone else stored these bytes.
      await em.query(
        `INSERT INTO ledger_attachments (tenant_id, hash, alg, filename, mime, size, content) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, hash) DO NOTHING`,
        [actor.tenantId ?? null, hash, DEFAULT_ALG, input.filename, input.mime, content.length, content],
      );
      await this.audit.record(em, actor, { action: 'ledger.attachment_upload', subjectType: 'Attachment', subjectId: hash, summary: { filename: input.filename, size: content.length } });
      return { hash, size: content.length, alg: DEFAULT_ALG };
    });
  }

  /**
   * Every hash must name an attachment stored by `tenantId` (the tenant of the citing row): else 422
   * with a field error, the same answer for "never uploaded" and "uploaded by someone else".
   */
  async requireOwned(em: EntityManager, tenantId: string | null, hashes: readonly string[], field = 'attachments'): Promise<void> {
    if (!hashes.length) return;
    const rows: { hash: string }[] = await em.query(
      'SELECT DISTINCT hash FROM ledger_attachments WHERE tenant_id IS NOT DISTINCT FROM $1 AND hash = ANY($2::text[])', [tenantId, [...hashes]]);
    if (rows.length !== new Set(hashes).size) throw new ProblemException(422, 'validation_failed', [{ field, key: 'ledger_attachment_missing' }]);
  }

  /**
   * One attachment by its hash, as the caller may see it (RLS): their own tenant's copy first. Each
   * download is an audit event of the caller, naming the attachment's own tenant.
   */
  get(actor: Actor, hash: string): Promise<{ filename: string; content: Buffer }> {
    return this.db.run(actor, async (em) => {
      const [row] = await em.query(
        `SELECT tenant_id, filename, content FROM ledger_attachments WHERE hash = $1
         ORDER BY (tenant_id IS NOT DISTINCT FROM $2) DESC, created_at LIMIT 1`, [hash, actor.tenantId ?? null]);
      if (!row) throw notFound();
      await this.audit.record(em, actor, { action: 'ledger.attachment_view', subjectType: 'Attachment', subjectId: hash, summary: { filename: row.filename, ownerTenantId: row.tenant_id ?? null } });
      return { filename: row.filename, content: row.content };
    });
  }
}
