import type { ReleaseView, ReportFigures, ReportLevel, ReportStatus, ReportView } from '@linggong/domain';

/** A row of `supply_demand_reports` as the service selects it (date columns arrive as YYYY-MM-DD from PG_TYPES). */
export interface ReportRow {
  id: string; region_code: string; level: ReportLevel; month: string; version: number; status: ReportStatus;
  figures: ReportFigures | null; analysis: string | null; measures: string | null; parts: ReportView['parts'] | null;
  digest: string | null; due: string; submitted_at: Date | string | null; on_time: boolean | null; reviewed_at: Date | string | null;
  return_reason: string | null; created_at: Date | string;
}
/** A row of `report_releases`. */
export interface ReleaseRow {
  province_code: string; month: string; digest: string; released_at: Date | string;
  data: Omit<ReleaseView, 'provinceCode' | 'provinceName' | 'month' | 'acceptedAt' | 'reportId' | 'digest'>;
}
