import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { GateCodeView, PlacementStatus, PublicCheckInResult, PublicComplaintInput, PublicComplaintResult, PublicComplaintStatus, PublicMarketView, PublicPostView } from '@linggong/domain/light';

/** What a confirmation QR shows (libs/api/jobs public.service.ts `describe`): the job, the other side masked. */
export interface PublicConfirmationView {
  party: 'worker' | 'employer'; status: PlacementStatus; postTitle: string; occupation: string; employerName: string;
  workerName: string; wageFen: number; wageUnit: string; startAt: string; place: string; employerConfirmed: boolean;
  workerConfirmed: boolean; nonPayment: boolean;
}
export interface PublicCheckInBody { name: string; mobile: string; occupations: string[]; consent: true; gateCode: string }
export interface NonPaymentBody { amountOwedFen: number; description: string }

/** The sign-in-free market API (`/api/v1/public/markets/:id`) and the gate screen's code; the only place this library talks HTTP. */
@Injectable({ providedIn: 'root' })
export class PublicApi {
  private readonly http = inject(HttpClient);

  private url(marketId: string, path = ''): string {
    return `/api/v1/public/markets/${encodeURIComponent(marketId)}${path}`;
  }

  market(marketId: string): Observable<PublicMarketView> {
    return this.http.get<PublicMarketView>(this.url(marketId));
  }
  posts(marketId: string): Observable<PublicPostView[]> {
    return this.http.get<PublicPostView[]>(this.url(marketId, '/posts'));
  }
  /** Check in (an unknown number is registered); 403 `gate_code_invalid` without the gate screen's current code. */
  checkIn(marketId: string, body: PublicCheckInBody): Observable<PublicCheckInResult> {
    return this.http.post<PublicCheckInResult>(this.url(marketId, '/check-ins'), body);
  }
  /** Signed in (the gate screen): the market's current gate code (`GET /api/v1/markets/:id/gate-code`). */
  gateCode(marketId: string): Observable<GateCodeView> {
    return this.http.get<GateCodeView>(`/api/v1/markets/${encodeURIComponent(marketId)}/gate-code`);
  }
  confirmation(marketId: string, token: string): Observable<PublicConfirmationView> {
    return this.http.get<PublicConfirmationView>(this.url(marketId, `/confirmations/${encodeURIComponent(token)}`));
  }
  confirm(marketId: string, token: string): Observable<PublicConfirmationView> {
    return this.http.post<PublicConfirmationView>(this.url(marketId, `/confirmations/${encodeURIComponent(token)}`), {});
  }
  /** R-B5: the worker reports unpaid wages from their own confirmation link. */
  nonPayment(marketId: string, token: string, body: NonPaymentBody): Observable<PublicConfirmationView> {
    return this.http.post<PublicConfirmationView>(this.url(marketId, `/confirmations/${encodeURIComponent(token)}/non-payment`), body);
  }
  /** The published complaint channel (R-D1): no sign-in; the answer carries the tracking code, shown once. */
  fileComplaint(marketId: string, body: PublicComplaintInput): Observable<PublicComplaintResult> {
    return this.http.post<PublicComplaintResult>(this.url(marketId, '/complaints'), body);
  }
  trackComplaint(code: string): Observable<PublicComplaintStatus> {
    return this.http.get<PublicComplaintStatus>(`/api/v1/public/complaints/${encodeURIComponent(code)}`);
  }
  reopenComplaint(code: string, reason: string): Observable<PublicComplaintStatus> {
    return this.http.post<PublicComplaintStatus>(`/api/v1/public/complaints/${encodeURIComponent(code)}/reopen`, { reason });
  }
}
