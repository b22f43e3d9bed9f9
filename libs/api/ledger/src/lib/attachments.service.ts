import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DEFAULT_ALG } from '@linggong/ledger-chain';
import { type Actor } from '@linggong/domain';
import { ProblemException, TenantDb, notFound } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';

/** Photos and documents for manual entries, stored content-addressed: the entry carries the hash. */
@Injectable()
export class AttachmentsService {
  constructor(private readonly db: TenantDb, private readonly audit: AuditService) {}

  upload(actor: Actor, input: { filename: string; mime: string; contentBase64: string }): Promise<{ hash: string; size: number; alg: string }> {
    const content = Buffer.from(input.contentBase64, 'base64');
    if (content.length > 5 * 1024 * 1024) throw new ProblemException(413, 'attachment_too_large');
    // The hash is over the bytes themselves, so anyone holding the file can check it against the entry.
    const hash = createHash(DEFAULT_ALG).update(content).digest('hex');
    return this.db.run(actor, async (em) => {
      await em.query(
        `INSERT INTO ledger_attachments (hash, tenant_id, alg, filename, mime, size, content) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (hash) DO NOTHING`,
        [hash, actor.tenantId ?? null, DEFAULT_ALG, input.filename, input.mime, content.length, content],
      );
      await this.audit.record(em, actor, { action: 'ledger.attachment_upload', subjectType: 'Attachment', subjectId: hash, summary: { filename: input.filename, size: content.length } });
      return { hash, size: content.length, alg: DEFAULT_ALG };
    });
  }

  get(actor: Actor, hash: string): Promise<{ filename: string; mime: string; content: Buffer }> {
    return this.db.run(actor, async (em) => {
      const [row] = await em.query('SELECT filename, mime, content FROM ledger_attachments WHERE hash = $1', [hash]);
      if (!row) throw notFound();
      return { filename: row.filename, mime: row.mime, content: row.content };
    });
  }
}
