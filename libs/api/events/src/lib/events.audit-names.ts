import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '@linggong/api-audit';

/** The audit log names a market event (issue 17 §4) by its title and start (Asia/Shanghai). Rows the reader's RLS hides are not named. */
@Injectable()
export class EventsAuditNames implements OnModuleInit {
  constructor(private readonly audit: AuditService) {}

  onModuleInit(): void {
    this.audit.registerSubjectNames('MarketEvent', async (em, _reader, ids) => new Map(
      (await em.query<{ id: string; title: string; at: string }[]>(
        `SELECT id, title, to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at FROM market_events WHERE id = ANY($1::uuid[])`, [ids]))
        .map((r) => [r.id, `${r.title} · ${r.at}`])));
  }
}
