import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '@linggong/api-audit';
import { RegistryDirectoryService } from '@linggong/api-registry';

/** Longest part of a plan's goal shown in its label. */
const GOAL = 30;

/**
 * The audit log names an assistance plan (issue 17 §4) by the worker it helps (masked where the reader may not read
 * them) and the start of its goal, and a service record by its worker or employer. Rows the reader's RLS hides are
 * not named.
 */
@Injectable()
export class AssistanceAuditNames implements OnModuleInit {
  constructor(private readonly audit: AuditService, private readonly registry: RegistryDirectoryService) {}

  onModuleInit(): void {
    this.audit.registerSubjectNames('AssistancePlan', async (em, reader, ids) => {
      const rows = await em.query<{ id: string; worker_id: string; goal: string | null }[]>('SELECT id, worker_id, goal FROM assistance_plans WHERE id = ANY($1::uuid[])', [ids]);
      const names = await this.registry.workerNamesFor(em, reader, rows.map((r) => r.worker_id));
      const goal = (g: string | null) => (g && g.length > GOAL ? `${g.slice(0, GOAL)}…` : g);
      return new Map(rows.map((r) => [r.id, [names.get(r.worker_id), goal(r.goal)].filter(Boolean).join(' · ')]));
    });
    this.audit.registerSubjectNames('ServiceRecord', async (em, reader, ids) => {
      const rows = await em.query<{ id: string; worker_id: string | null; employer_id: string | null; day: string }[]>(
        `SELECT id, worker_id, employer_id, to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day FROM service_records WHERE id = ANY($1::uuid[])`, [ids]);
      const workers = await this.registry.workerNamesFor(em, reader, rows.flatMap((r) => (r.worker_id ? [r.worker_id] : [])));
      const employers = (await this.registry.displayNames(em, [], rows.flatMap((r) => (r.employer_id ? [r.employer_id] : [])))).employers;
      return new Map(rows.map((r) => [r.id, [(r.worker_id && workers.get(r.worker_id)) || (r.employer_id && employers.get(r.employer_id)?.name), r.day].filter(Boolean).join(' · ')]));
    });
  }
}
