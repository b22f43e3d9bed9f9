import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type {
  ClosePreview, CorrectionInput, LedgerDayView, LedgerEntryView, LedgerKind, ManualEntryInput, Page, SealView, VerificationView,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export interface LedgerRange { from: string; to: string }
/** `q` is text; `qCodes` and `qKinds` the codes and kinds whose words hold it (`PayloadText.searchCodes`), matched too. */
export interface LedgerEntryQuery extends Partial<LedgerRange> {
  kind?: LedgerKind | null; q?: string | null; qCodes?: string[]; qKinds?: LedgerKind[]; page?: number; pageSize?: number;
}
export interface LedgerVerifyResult {
  ok: boolean; entries: number; seals: number; receipts: number;
  firstBad: { seq: number | null; businessDay: string | null; code: string; detail: string } | null;
  problems: unknown[];
}
export interface LedgerAlert {
  marketId: string; marketName: string; businessDay: string; problem: string; createdAt: string;
  code?: string; firstBadSeq?: number | null;
}
export interface UploadedAttachment { hash: string; size: number }
export type ExportFormat = 'jsonl' | 'xlsx';

/** The work-log ledger API (the only place this library talks HTTP). */
@Injectable({ providedIn: 'root' })
export class LedgerApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  private market(id: string): string {
    return `${this.base}/markets/${encodeURIComponent(id)}/ledger`;
  }

  days(marketId: string, range: LedgerRange): Observable<LedgerDayView[]> {
    return this.http.get<LedgerDayView[]>(`${this.market(marketId)}/days`, { params: toParams(range) });
  }
  entries(marketId: string, query: LedgerEntryQuery): Observable<Page<LedgerEntryView>> {
    return this.http.get<Page<LedgerEntryView>>(`${this.market(marketId)}/entries`, { params: toParams(query) });
  }
  addManual(marketId: string, body: ManualEntryInput): Observable<LedgerEntryView> {
    return this.http.post<LedgerEntryView>(`${this.market(marketId)}/entries`, body);
  }
  correct(marketId: string, seq: number, body: CorrectionInput): Observable<LedgerEntryView> {
    return this.http.post<LedgerEntryView>(`${this.market(marketId)}/entries/${seq}/corrections`, body);
  }
  closePreview(marketId: string, day: string): Observable<ClosePreview> {
    return this.http.get<ClosePreview>(`${this.market(marketId)}/close-preview`, { params: toParams({ day }) });
  }
  /** 日结; a close before the market's closing time carries its reason. */
  close(marketId: string, day: string, reason?: string): Observable<LedgerDayView[]> {
    return this.http.post<LedgerDayView[]>(`${this.market(marketId)}/days/${day}/close`, reason ? { reason } : {});
  }
  /** Recorded checks (校验) of a market's work log: who, which range, when, the result. */
  verifications(marketId: string): Observable<VerificationView[]> {
    return this.http.get<VerificationView[]>(`${this.market(marketId)}/verifications`);
  }
  verify(marketId: string, range: LedgerRange): Observable<LedgerVerifyResult> {
    return this.http.get<LedgerVerifyResult>(`${this.market(marketId)}/verify`, { params: toParams(range) });
  }
  /** A plain GET link (the session cookie authenticates it), for `<a href download>`. */
  exportUrl(marketId: string, range: LedgerRange, format: ExportFormat): string {
    return `${this.market(marketId)}/export?${toParams({ ...range, format }).toString()}`;
  }
  /** The county authority's receipts (seal digests) as JSONL, for the offline verifier. */
  receiptsUrl(marketId: string, range: LedgerRange): string {
    return `${this.market(marketId)}/receipts?${toParams(range).toString()}`;
  }
  uploadAttachment(filename: string, mime: string, contentBase64: string): Observable<UploadedAttachment> {
    return this.http.post<UploadedAttachment>(`${this.base}/ledger/attachments`, { filename, mime, contentBase64 });
  }
  attachmentUrl(hash: string): string {
    return `${this.base}/ledger/attachments/${hash}`;
  }
  seals(query: LedgerRange & { regionCode?: string | null; marketId?: string | null }): Observable<SealView[]> {
    return this.http.get<SealView[]>(`${this.base}/ledger/seals`, { params: toParams(query) });
  }
  alerts(): Observable<LedgerAlert[]> {
    return this.http.get<LedgerAlert[]>(`${this.base}/ledger/alerts`);
  }
}
