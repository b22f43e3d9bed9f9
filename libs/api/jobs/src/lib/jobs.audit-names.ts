import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '@linggong/api-audit';
import { RegistryDirectoryService } from '@linggong/api-registry';

/**
 * The audit log names a placement (issue 17 §4): the worker (masked where the reader may not read them) and the post's
 * title, e.g. "王小明 · 物流园卸货". Rows the reader's RLS hides are not named.
 */
@Injectable()
export class JobsAuditNames implements OnModuleInit {
  constructor(private readonly audit: AuditService, private readonly registry: RegistryDirectoryService) {}

  onModuleInit(): void {
    this.audit.registerSubjectNames('Placement', async (em, reader, ids) => {
      const rows = await em.query<{ id: string; worker_id: string; title: string | null }[]>(
        'SELECT pl.id, pl.worker_id, p.title FROM placements pl LEFT JOIN posts p ON p.id = pl.post_id WHERE pl.id = ANY($1::uuid[])', [ids]);
      const names = await this.registry.workerNamesFor(em, reader, rows.map((r) => r.worker_id));
      return new Map(rows.map((r) => [r.id, [names.get(r.worker_id), r.title].filter(Boolean).join(' · ')]));
    });
  }
}
