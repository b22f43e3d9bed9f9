import { Module } from '@nestjs/common';
import { AuditModule } from '@linggong/api-audit';
import { AnalyticsCoreModule } from '@linggong/api-analytics';
import { TenancyModule } from '@linggong/api-tenancy';
import { ReportsService } from './reports.service';
import { ReportsController, PublicReleasesController } from './reports.controller';
import { ReportRemindersJob, ReportRemindersService } from './reminders';
import { ReportsAuditNames } from './reports.audit-names';

/** Reminders without HTTP, for the worker. */
@Module({ imports: [AuditModule, AnalyticsCoreModule], providers: [ReportRemindersService, ReportRemindersJob], exports: [ReportRemindersService] })
export class ReportsWorkerModule {}

/** Monthly supply–demand reports, the chain, the board and the public release (issue 14 §3–5). */
@Module({
  imports: [AuditModule, AnalyticsCoreModule, TenancyModule],
  controllers: [ReportsController, PublicReleasesController],
  providers: [ReportsService, ReportRemindersService, ReportsAuditNames],
  exports: [ReportsService],
})
export class ReportsModule {}
