import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { ReleaseView, ReportBoard, ReportFigures, ReportView } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

/** Monthly supply–demand reports (issue 14). */
@Injectable({ providedIn: 'root' })
export class ReportsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/reports';

  list(q: { month?: string | null }): Observable<ReportView[]> {
    return this.http.get<ReportView[]>(this.base, { params: toParams(q) });
  }
  get(id: string): Observable<ReportView> {
    return this.http.get<ReportView>(`${this.base}/${encodeURIComponent(id)}`);
  }
  preview(regionCode: string, month: string): Observable<ReportFigures> {
    return this.http.get<ReportFigures>(`${this.base}/preview`, { params: toParams({ regionCode, month }) });
  }
  create(month: string): Observable<ReportView> {
    return this.http.post<ReportView>(this.base, { month });
  }
  refresh(id: string): Observable<ReportView> {
    return this.http.post<ReportView>(`${this.base}/${encodeURIComponent(id)}/refresh`, {});
  }
  narrative(id: string, body: { analysis: string; measures: string }): Observable<ReportView> {
    return this.http.put<ReportView>(`${this.base}/${encodeURIComponent(id)}/narrative`, body);
  }
  submit(id: string): Observable<ReportView> {
    return this.http.post<ReportView>(`${this.base}/${encodeURIComponent(id)}/submit`, {});
  }
  review(id: string, body: { decision: 'accepted' | 'returned'; reason?: string }): Observable<ReportView> {
    return this.http.post<ReportView>(`${this.base}/${encodeURIComponent(id)}/review`, body);
  }
  board(from: string, to: string): Observable<ReportBoard> {
    return this.http.get<ReportBoard>(`${this.base}/board`, { params: toParams({ from, to }) });
  }
  reminders(): Observable<{ region_code: string; month: string; kind: string; day: string }[]> {
    return this.http.get<{ region_code: string; month: string; kind: string; day: string }[]>(`${this.base}/reminders`);
  }
  releases(): Observable<ReleaseView[]> {
    return this.http.get<ReleaseView[]>('/api/v1/public/releases');
  }
  release(province: string, month: string): Observable<ReleaseView> {
    return this.http.get<ReleaseView>(`/api/v1/public/releases/${encodeURIComponent(province)}/${encodeURIComponent(month)}/release.json`);
  }
}
