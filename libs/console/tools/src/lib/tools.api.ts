import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type {
  CompleteRepairInput, CreateToolInput, DecisionInput, MaintenanceInput, Page, RequestLoanInput, ReturnInput, ToolAccountView,
  ToolLoanView, ToolMaintenanceView, ToolReconciliationView, ToolView, WorkerView,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

/** Tool rental (R-B11) over HTTP; the pages never call HttpClient themselves. */
@Injectable({ providedIn: 'root' })
export class ToolsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';
  private readonly id = encodeURIComponent;

  tools(q: { marketId?: string | null; status?: string | null; q?: string | null; page?: number; pageSize?: number }): Observable<Page<ToolView>> {
    return this.http.get<Page<ToolView>>(`${this.base}/tools`, { params: toParams(q) });
  }
  createTool(marketId: string, body: CreateToolInput): Observable<ToolView> {
    return this.http.post<ToolView>(`${this.base}/markets/${this.id(marketId)}/tools`, body);
  }
  account(id: string): Observable<ToolAccountView> {
    return this.http.get<ToolAccountView>(`${this.base}/tools/${this.id(id)}`);
  }
  loans(q: { marketId?: string | null; status?: string | null; page?: number; pageSize?: number }): Observable<Page<ToolLoanView>> {
    return this.http.get<Page<ToolLoanView>>(`${this.base}/tool-loans`, { params: toParams(q) });
  }
  requestLoan(toolId: string, body: RequestLoanInput): Observable<ToolLoanView> {
    return this.http.post<ToolLoanView>(`${this.base}/tools/${this.id(toolId)}/loans`, body);
  }
  decideLoan(id: string, body: DecisionInput): Observable<ToolLoanView> {
    return this.http.post<ToolLoanView>(`${this.base}/tool-loans/${this.id(id)}/decision`, body);
  }
  lend(id: string, signaturePngBase64: string): Observable<ToolLoanView> {
    return this.http.post<ToolLoanView>(`${this.base}/tool-loans/${this.id(id)}/lend`, { signaturePngBase64 });
  }
  cancel(id: string): Observable<ToolLoanView> {
    return this.http.post<ToolLoanView>(`${this.base}/tool-loans/${this.id(id)}/cancel`, {});
  }
  returnLoan(id: string, body: ReturnInput): Observable<ToolLoanView> {
    return this.http.post<ToolLoanView>(`${this.base}/tool-loans/${this.id(id)}/return`, body);
  }
  signatureUrl(loanId: string): string {
    return `${this.base}/tool-loans/${this.id(loanId)}/signature`;
  }
  requestMaintenance(toolId: string, body: MaintenanceInput): Observable<ToolMaintenanceView> {
    return this.http.post<ToolMaintenanceView>(`${this.base}/tools/${this.id(toolId)}/maintenance`, body);
  }
  decideMaintenance(id: string, body: DecisionInput): Observable<ToolMaintenanceView> {
    return this.http.post<ToolMaintenanceView>(`${this.base}/tool-maintenance/${this.id(id)}/decision`, body);
  }
  completeRepair(id: string, body: CompleteRepairInput): Observable<ToolMaintenanceView> {
    return this.http.post<ToolMaintenanceView>(`${this.base}/tool-maintenance/${this.id(id)}/completion`, body);
  }
  reconciliations(marketId: string): Observable<Page<ToolReconciliationView>> {
    return this.http.get<Page<ToolReconciliationView>>(`${this.base}/markets/${this.id(marketId)}/tool-reconciliations`, { params: toParams({ pageSize: 7 }) });
  }
  reconcile(marketId: string): Observable<ToolReconciliationView> {
    return this.http.post<ToolReconciliationView>(`${this.base}/markets/${this.id(marketId)}/tool-reconciliations`, {});
  }
  /** Workers to lend to: the registry's list, searched by name. */
  workers(q: string): Observable<Page<WorkerView>> {
    return this.http.get<Page<WorkerView>>(`${this.base}/workers`, { params: toParams({ q, pageSize: 20 }) });
  }
}
