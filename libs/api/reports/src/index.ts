export { ReportsModule, ReportsWorkerModule } from './lib/reports.module';
export { ReportsService, reportDigest, releaseData } from './lib/reports.service';
export { ReportRemindersService } from './lib/reminders';
export { renderPdf, PdfFontMissing, type PdfLine } from './lib/pdf';
export { Reports1763804720000 } from './lib/migrations/1763804720000-reports';
export { REPORTS_REMINDERS_QUEUE } from './lib/queues';
export { REPORTS_CONTEXT } from './lib/reports.context';
