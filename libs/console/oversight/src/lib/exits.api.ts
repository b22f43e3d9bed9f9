import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type {
  ExitCaseDetailView, ExitCaseView, HandoverView, Page, answerExitSchema, decideExitSchema, openHandoverSchema, proposeExitSchema, signHandoverSchema,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

type Q = Record<string, string | number | null | undefined>;
const id = encodeURIComponent;

/** Exit cases and handovers (退出 · 移交, issue 16 §4). */
@Injectable({ providedIn: 'root' })
export class ExitsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  cases(q: Q): Observable<Page<ExitCaseView>> {
    return this.http.get<Page<ExitCaseView>>(`${this.base}/exit-cases`, { params: toParams(q) });
  }
  case(caseId: string): Observable<ExitCaseDetailView> {
    return this.http.get<ExitCaseDetailView>(`${this.base}/exit-cases/${id(caseId)}`);
  }
  propose(body: z.input<typeof proposeExitSchema>): Observable<ExitCaseDetailView> {
    return this.http.post<ExitCaseDetailView>(`${this.base}/exit-cases`, body);
  }
  decide(caseId: string, body: z.infer<typeof decideExitSchema>): Observable<ExitCaseDetailView> {
    return this.http.post<ExitCaseDetailView>(`${this.base}/exit-cases/${id(caseId)}/decision`, body);
  }
  answer(caseId: string, body: z.infer<typeof answerExitSchema>): Observable<ExitCaseDetailView> {
    return this.http.post<ExitCaseDetailView>(`${this.base}/exit-cases/${id(caseId)}/answer`, body);
  }
  start(caseId: string): Observable<ExitCaseDetailView> {
    return this.http.post<ExitCaseDetailView>(`${this.base}/exit-cases/${id(caseId)}/start`, {});
  }
  openHandover(caseId: string, body: z.infer<typeof openHandoverSchema>): Observable<HandoverView> {
    return this.http.post<HandoverView>(`${this.base}/exit-cases/${id(caseId)}/handovers`, body);
  }
  archive(caseId: string): Observable<ExitCaseDetailView> {
    return this.http.post<ExitCaseDetailView>(`${this.base}/exit-cases/${id(caseId)}/archive`, {});
  }
  handovers(q: Q): Observable<Page<HandoverView>> {
    return this.http.get<Page<HandoverView>>(`${this.base}/handovers`, { params: toParams(q) });
  }
  sign(handoverId: string, body: z.infer<typeof signHandoverSchema>): Observable<HandoverView> {
    return this.http.post<HandoverView>(`${this.base}/handovers/${id(handoverId)}/signatures`, body);
  }
  complete(handoverId: string): Observable<HandoverView> {
    return this.http.post<HandoverView>(`${this.base}/handovers/${id(handoverId)}/complete`, {});
  }
  package(handoverId: string): Observable<{ manifest: Record<string, unknown>; files: Record<string, string> }> {
    return this.http.get<{ manifest: Record<string, unknown>; files: Record<string, string> }>(`${this.base}/handovers/${id(handoverId)}/package`);
  }
  /** Live contracts of an operator in the caller's county (a handover's successor needs one that lists the market). */
  contracts(operatorId: string): Observable<{ id: string; number: string; title: string; regionCode: string; termFrom: string; termTo: string; marketIds: string[] }[]> {
    return this.http.get<{ id: string; number: string; title: string; regionCode: string; termFrom: string; termTo: string; marketIds: string[] }[]>(`${this.base}/contracts`, { params: toParams({ operatorId }) });
  }
}
