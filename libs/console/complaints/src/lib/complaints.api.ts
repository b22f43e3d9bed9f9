import { Injectable, inject, signal, type WritableSignal } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type {
  ComplaintBoardView, ComplaintIntakeResult, EmployerView, ComplaintSummaryView, ComplaintView, IntakeComplaintInput, Page,
  callbackSchema, closeComplaintSchema, escalateSchema, escalationReplySchema, extensionDecisionSchema, extensionRequestSchema,
  handlingRecordSchema, noticeSchema, reopenSchema, transferSchema,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export interface ComplaintListQuery { page?: number; pageSize?: number; status?: string | null; due?: string | null; category?: string | null; q?: string | null; mine?: string | null; marketId?: string | null }
type In<S extends z.ZodType> = z.input<S>;

/** Complaints (投诉举报, issue 6): intake, handling steps and the boards. */
@Injectable({ providedIn: 'root' })
export class ComplaintsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/complaints';
  private url(id: string, step = '') {
    return `${this.base}/${encodeURIComponent(id)}${step}`;
  }

  list(q: ComplaintListQuery): Observable<Page<ComplaintSummaryView>> {
    return this.http.get<Page<ComplaintSummaryView>>(this.base, { params: toParams(q) });
  }
  get(id: string): Observable<ComplaintView> {
    return this.http.get<ComplaintView>(this.url(id));
  }
  intake(body: IntakeComplaintInput): Observable<ComplaintIntakeResult> {
    return this.http.post<ComplaintIntakeResult>(this.base, body);
  }
  /** Employers of the operator, for linking the one a wage-arrears complaint is about (registry's list route). */
  employers(q: string): Observable<Page<EmployerView>> {
    return this.http.get<Page<EmployerView>>('/api/v1/employers', { params: toParams({ q, pageSize: 20 }) });
  }
  /**
   * A server-searched employer picker (涉及对象 at intake, the employer of a referral): `search(q)` fills
   * `options` with the operator's employers whose name matches.
   */
  employerPicker(onError: (e: unknown) => void): { options: WritableSignal<{ id: string; name: string }[]>; search: (q: string) => void } {
    const options = signal<{ id: string; name: string }[]>([]);
    return {
      options,
      search: (q: string) => {
        if (!q.trim()) return;
        this.employers(q.trim()).subscribe({ next: (p) => options.set(p.items.map((e) => ({ id: e.id, name: e.name }))), error: onError });
      },
    };
  }
  board(days = 90): Observable<ComplaintBoardView> {
    return this.http.get<ComplaintBoardView>(`${this.base}/board`, { params: { days } });
  }
  /** The complainant's name or mobile in full (audited on the server). */
  reveal(id: string, field: 'name' | 'mobile'): Observable<{ field: 'name' | 'mobile'; value: string | null }> {
    return this.http.post<{ field: 'name' | 'mobile'; value: string | null }>(this.url(id, '/reveal'), { field });
  }
  targets(id: string): Observable<{ id: string; displayName: string; roles: string[] }[]> {
    return this.http.get<{ id: string; displayName: string; roles: string[] }[]>(this.url(id, '/transfer-targets'));
  }
  acknowledge(id: string): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/acknowledge'), {});
  }
  record(id: string, body: In<typeof handlingRecordSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/records'), body);
  }
  notice(id: string, body: In<typeof noticeSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/notices'), body);
  }
  transfer(id: string, body: In<typeof transferSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/transfers'), body);
  }
  decideTransfer(id: string, accept: boolean): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, accept ? '/transfers/accept' : '/transfers/decline'), {});
  }
  requestExtension(id: string, body: In<typeof extensionRequestSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/extensions'), body);
  }
  decideExtension(id: string, body: In<typeof extensionDecisionSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/extensions/decision'), body);
  }
  escalate(id: string, body: In<typeof escalateSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/escalations'), body);
  }
  reply(id: string, escalationId: string, county: boolean, body: In<typeof escalationReplySchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, `/escalations/${encodeURIComponent(escalationId)}/${county ? 'county-reply' : 'reply'}`), body);
  }
  close(id: string, body: In<typeof closeComplaintSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/close'), body);
  }
  callback(id: string, body: In<typeof callbackSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/callback'), body);
  }
  reopen(id: string, body: In<typeof reopenSchema>): Observable<ComplaintView> {
    return this.http.post<ComplaintView>(this.url(id, '/reopen'), body);
  }
}
