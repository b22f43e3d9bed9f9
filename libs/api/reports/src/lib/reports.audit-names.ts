import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuditEventView } from '@linggong/domain';
import { AuditService } from '@linggong/api-audit';
import { RegionsService } from '@linggong/api-tenancy';

/**
 * The audit log names the reports' subjects (issue 17 §4): a supply–demand report by its region, month and version
 * ("郑州市 2026-11 v2"); a monthly release, and a reminder, which carry no id of their own, by the event's region and
 * the month in its summary. Reports the reader's RLS hides are not named.
 */
@Injectable()
export class ReportsAuditNames implements OnModuleInit {
  constructor(private readonly audit: AuditService, private readonly regions: RegionsService) {}

  onModuleInit(): void {
    this.audit.registerSubjectNames('SupplyDemandReport', async (em, _reader, ids) => {
      const rows = await em.query<{ id: string; region_code: string; month: string; version: number }[]>(
        'SELECT id, region_code, month, version FROM supply_demand_reports WHERE id = ANY($1::uuid[])', [ids]);
      const names = await this.regions.names(em, rows.map((r) => r.region_code));
      return new Map(rows.map((r) => [r.id, `${names.get(r.region_code) ?? r.region_code} ${r.month} v${r.version}`]));
    });
    const byMonth = async (em: Parameters<Parameters<AuditService['registerEventLabels']>[1]>[0], events: AuditEventView[]) => {
      const names = await this.regions.names(em, events.map((e) => e.regionCode ?? ''));
      return new Map(events.flatMap((e) => {
        const month = typeof e.summary?.['month'] === 'string' ? e.summary['month'] : null;
        const region = e.regionCode ? names.get(e.regionCode) ?? e.regionCode : null;
        return region || month ? [[e.id, [region, month].filter(Boolean).join(' ')] as [string, string]] : [];
      }));
    };
    this.audit.registerEventLabels('ReportRelease', (em, _reader, events) => byMonth(em, events));
    this.audit.registerEventLabels('SupplyDemandReport', (em, _reader, events) => byMonth(em, events));
  }
}
