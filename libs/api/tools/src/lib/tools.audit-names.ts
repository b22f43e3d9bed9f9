import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '@linggong/api-audit';
import { RegistryDirectoryService } from '@linggong/api-registry';

/**
 * The audit log names tools and loans (issue 17 §4): a tool by its name and code ("电动冲击钻（EX-01）"), a loan by the
 * tool and the borrower (masked where the reader may not read them), a reconciliation by its day. Rows the reader's
 * RLS hides are not named.
 */
@Injectable()
export class ToolsAuditNames implements OnModuleInit {
  constructor(private readonly audit: AuditService, private readonly registry: RegistryDirectoryService) {}

  onModuleInit(): void {
    this.audit.registerSubjectNames('Tool', async (em, _reader, ids) => new Map(
      (await em.query<{ id: string; code: string; name: string }[]>('SELECT id, code, name FROM tools WHERE id = ANY($1::uuid[])', [ids]))
        .map((r) => [r.id, `${r.name}（${r.code}）`])));
    this.audit.registerSubjectNames('ToolLoan', async (em, reader, ids) => {
      const rows = await em.query<{ id: string; worker_id: string; code: string | null; name: string | null }[]>(
        'SELECT l.id, l.worker_id, t.code, t.name FROM tool_loans l LEFT JOIN tools t ON t.id = l.tool_id WHERE l.id = ANY($1::uuid[])', [ids]);
      const names = await this.registry.workerNamesFor(em, reader, rows.map((r) => r.worker_id));
      return new Map(rows.map((r) => [r.id, [r.name ? `${r.name}（${r.code}）` : null, names.get(r.worker_id)].filter(Boolean).join(' · ')]));
    });
    this.audit.registerSubjectNames('ToolReconciliation', async (em, _reader, ids) => new Map(
      (await em.query<{ id: string; day: string }[]>('SELECT id, business_day::text AS day FROM tool_reconciliations WHERE id = ANY($1::uuid[])', [ids]))
        .map((r) => [r.id, r.day])));
  }
}
