import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { Page, PlacementView, PushLinkView, RegisterWorkerInput, SanctionView, WorkerView, appealDecisionSchema, sanctionSchema } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export type RevealField = 'mobile' | 'idNumber';
export interface WorkerQuery { page?: number; pageSize?: number; q?: string | null; marketId?: string | null; mobile?: string | null }
export interface RevealResult { field: RevealField; value: string | null }
/** A refused roster row: its row number in the sheet, the field, and the reason in the user's language. */
export interface ImportRejection { row: number; field: string; message: string }
export interface ImportResult { total: number; imported: number; rejected: ImportRejection[]; dryRun: boolean }
export interface WorkerExportQuery { q?: string | null; marketId?: string | null; mobile?: string | null }

/** The workers' registry API (the only place this library talks HTTP). */
@Injectable({ providedIn: 'root' })
export class RegistryApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  list(query: WorkerQuery): Observable<Page<WorkerView>> {
    return this.http.get<Page<WorkerView>>(`${this.base}/workers`, { params: toParams(query) });
  }
  get(id: string): Observable<WorkerView> {
    return this.http.get<WorkerView>(`${this.base}/workers/${encodeURIComponent(id)}`);
  }
  /** The worker's own job-push page link (issue 18 §2), to show as a QR; the server audits each showing (`push.link`). */
  pushLink(id: string): Observable<PushLinkView> {
    return this.http.get<PushLinkView>(`${this.base}/workers/${encodeURIComponent(id)}/push-link`);
  }
  /** The same link sent to the worker's mobile by SMS (one per minute at most). */
  sendPushLink(id: string): Observable<PushLinkView> {
    return this.http.post<PushLinkView>(`${this.base}/workers/${encodeURIComponent(id)}/push-link/send`, {});
  }
  register(marketId: string, body: RegisterWorkerInput): Observable<WorkerView> {
    return this.http.post<WorkerView>(`${this.base}/markets/${encodeURIComponent(marketId)}/workers`, body);
  }
  /** Roster import (base64 .xlsx); `dryRun` checks every row and writes nothing. */
  importWorkers(marketId: string, file: string, dryRun: boolean): Observable<ImportResult> {
    return this.http.post<ImportResult>(`${this.base}/markets/${encodeURIComponent(marketId)}/workers/import`, { file, dryRun });
  }
  /** Plain GET links (the session cookie authenticates them), for `<a href download>`. */
  importTemplateUrl(marketId: string): string {
    return `${this.base}/markets/${encodeURIComponent(marketId)}/workers/import-template`;
  }
  /** The export is audited on the server; phones and ID numbers in it are masked. */
  exportUrl(query: WorkerExportQuery): string {
    const params = toParams(query).toString();
    return `${this.base}/workers/export${params ? `?${params}` : ''}`;
  }
  /** Audited on the server: every call is an audit event. */
  reveal(id: string, field: RevealField): Observable<RevealResult> {
    return this.http.post<RevealResult>(`${this.base}/workers/${encodeURIComponent(id)}/reveal`, { field });
  }
  /** A worker's disputes and removals with their appeals (R-B8). */
  sanctions(workerId: string): Observable<SanctionView[]> {
    return this.http.get<SanctionView[]>(`${this.base}/workers/${encodeURIComponent(workerId)}/sanctions`);
  }
  impose(workerId: string, body: z.input<typeof sanctionSchema>): Observable<SanctionView> {
    return this.http.post<SanctionView>(`${this.base}/workers/${encodeURIComponent(workerId)}/sanctions`, body);
  }
  appeal(id: string, statement: string): Observable<SanctionView> {
    return this.http.post<SanctionView>(`${this.base}/sanctions/${encodeURIComponent(id)}/appeal`, { statement });
  }
  decide(id: string, body: z.infer<typeof appealDecisionSchema>): Observable<SanctionView> {
    return this.http.post<SanctionView>(`${this.base}/sanctions/${encodeURIComponent(id)}/decision`, body);
  }
  placements(workerId: string): Observable<Page<PlacementView>> {
    return this.http.get<Page<PlacementView>>(`${this.base}/placements`, { params: toParams({ workerId, pageSize: 50 }) });
  }
}
