import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type {
  AttendanceView, CourseDetailView, CourseView, CreateCourseInput, CreateSessionInput, DemandSummaryRow, EnrolmentDetailView, EnrolmentView,
  Page, TrainingDemandInput, TrainingDemandView, TrainingSessionView, WorkerView,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export interface PublicSessionView { courseTitle: string; occupation: string; trainer: string; place: string; startsAt: string; endsAt: string; hours: number; marketName: string }
export interface PublicAttendanceResult extends PublicSessionView { status: 'signed_in' | 'already_signed_in'; name: string; signedAt: string }

/** Training (R-B10): catalogue, sessions, enrolment, attendance, completion, certificates, 培训台账. */
@Injectable({ providedIn: 'root' })
export class TrainingApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  courses(query: { page?: number; pageSize?: number; marketId?: string | null; occupation?: string | null; q?: string | null }): Observable<Page<CourseView>> {
    return this.http.get<Page<CourseView>>(`${this.base}/training/courses`, { params: toParams(query) });
  }
  course(id: string): Observable<CourseDetailView> {
    return this.http.get<CourseDetailView>(`${this.base}/training/courses/${encodeURIComponent(id)}`);
  }
  createCourse(marketId: string, body: CreateCourseInput): Observable<CourseDetailView> {
    return this.http.post<CourseDetailView>(`${this.base}/markets/${encodeURIComponent(marketId)}/training/courses`, body);
  }
  createSession(courseId: string, body: CreateSessionInput): Observable<TrainingSessionView> {
    return this.http.post<TrainingSessionView>(`${this.base}/training/courses/${encodeURIComponent(courseId)}/sessions`, body);
  }
  sessionCode(sessionId: string): Observable<{ sessionId: string; token: string }> {
    return this.http.post<{ sessionId: string; token: string }>(`${this.base}/training/sessions/${encodeURIComponent(sessionId)}/qr-code`, {});
  }
  demands(query: { page?: number; pageSize?: number; marketId?: string | null }): Observable<Page<TrainingDemandView>> {
    return this.http.get<Page<TrainingDemandView>>(`${this.base}/training/demands`, { params: toParams(query) });
  }
  createDemand(marketId: string, body: TrainingDemandInput): Observable<TrainingDemandView> {
    return this.http.post<TrainingDemandView>(`${this.base}/markets/${encodeURIComponent(marketId)}/training/demands`, body);
  }
  demandSummary(marketId: string | null): Observable<DemandSummaryRow[]> {
    return this.http.get<DemandSummaryRow[]>(`${this.base}/training/demand-summary`, { params: toParams({ marketId }) });
  }
  enrolments(query: { courseId?: string; pageSize?: number }): Observable<Page<EnrolmentView>> {
    return this.http.get<Page<EnrolmentView>>(`${this.base}/training/enrolments`, { params: toParams(query) });
  }
  enrolment(id: string): Observable<EnrolmentDetailView> {
    return this.http.get<EnrolmentDetailView>(`${this.base}/training/enrolments/${encodeURIComponent(id)}`);
  }
  enrol(courseId: string, workerId: string): Observable<EnrolmentDetailView> {
    return this.http.post<EnrolmentDetailView>(`${this.base}/training/courses/${encodeURIComponent(courseId)}/enrolments`, { workerId });
  }
  attend(sessionId: string, enrolmentId: string, signature: string): Observable<AttendanceView> {
    return this.http.post<AttendanceView>(`${this.base}/training/sessions/${encodeURIComponent(sessionId)}/attendance`, { enrolmentId, signature });
  }
  complete(enrolmentId: string): Observable<EnrolmentDetailView> {
    return this.http.post<EnrolmentDetailView>(`${this.base}/training/enrolments/${encodeURIComponent(enrolmentId)}/completion`, {});
  }
  certificate(enrolmentId: string, body: { number: string; issuedOn: string }): Observable<EnrolmentDetailView> {
    return this.http.post<EnrolmentDetailView>(`${this.base}/training/enrolments/${encodeURIComponent(enrolmentId)}/certificate`, body);
  }
  /** Workers of the caller's roster by name or mobile, for enrolment and demand (masked). */
  findWorkers(q: string): Observable<Page<WorkerView>> {
    const mobile = /^1\d{10}$/.test(q) ? q : null;
    return this.http.get<Page<WorkerView>>(`${this.base}/workers`, { params: toParams({ q: mobile ? null : q, mobile, pageSize: 20 }) });
  }
  /** A plain GET link (the session cookie authenticates it); the export is audited on the server. */
  ledgerUrl(query: { marketId?: string | null; courseId?: string | null }): string {
    const params = toParams(query).toString();
    return `${this.base}/training/ledger${params ? `?${params}` : ''}`;
  }
  signatureUrl(attendanceId: string): string {
    return `${this.base}/training/attendance/${encodeURIComponent(attendanceId)}/signature`;
  }
  publicSession(token: string): Observable<PublicSessionView> {
    return this.http.get<PublicSessionView>(`${this.base}/public/training-sessions/${encodeURIComponent(token)}`);
  }
  publicAttend(token: string, mobile: string): Observable<PublicAttendanceResult> {
    return this.http.post<PublicAttendanceResult>(`${this.base}/public/training-sessions/${encodeURIComponent(token)}/attendance`, { mobile });
  }
}
