import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { DirectoryPointInput, JobCatalogue, ListingView, Page, PointView, PublicDirectory, PublicListing, PublicModelMarkets, VersionDiff, VersionView } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

/** The directory's HTTP (issue 14): the chain for signed-in users, and the public directory. The only place this library talks HTTP. */
@Injectable({ providedIn: 'root' })
export class DirectoryApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/directory';

  versions(): Observable<Page<VersionView>> {
    return this.http.get<Page<VersionView>>(`${this.base}/versions`, { params: toParams({ pageSize: 50 }) });
  }
  version(id: string): Observable<VersionView> {
    return this.http.get<VersionView>(`${this.base}/versions/${encodeURIComponent(id)}`);
  }
  freeze(): Observable<VersionView> {
    return this.http.post<VersionView>(`${this.base}/versions`, {});
  }
  compile(id: string): Observable<VersionView> {
    return this.http.post<VersionView>(`${this.base}/versions/${encodeURIComponent(id)}/compile`, {});
  }
  publish(id: string): Observable<VersionView> {
    return this.http.post<VersionView>(`${this.base}/versions/${encodeURIComponent(id)}/publish`, {});
  }
  diff(id: string, from: string): Observable<VersionDiff> {
    return this.http.get<VersionDiff>(`${this.base}/versions/${encodeURIComponent(id)}/diff`, { params: toParams({ from }) });
  }
  listings(q: { versionId?: string | null; status?: string | null; q?: string | null; page: number; pageSize: number }): Observable<Page<ListingView>> {
    return this.http.get<Page<ListingView>>(`${this.base}/listings`, { params: toParams(q) });
  }
  confirm(id: string): Observable<ListingView> {
    return this.http.post<ListingView>(`${this.base}/listings/${encodeURIComponent(id)}/confirm`, {});
  }
  sendBack(id: string, reason: string): Observable<ListingView> {
    return this.http.post<ListingView>(`${this.base}/listings/${encodeURIComponent(id)}/return`, { reason });
  }
  resubmit(id: string): Observable<ListingView> {
    return this.http.post<ListingView>(`${this.base}/listings/${encodeURIComponent(id)}/resubmit`, {});
  }
  createPoint(body: Partial<DirectoryPointInput>): Observable<PointView> {
    return this.http.post<PointView>(`${this.base}/points`, body);
  }
  ministryReport(year: number): Observable<Blob> {
    return this.http.get(`${this.base}/ministry-report`, { params: toParams({ year }), responseType: 'blob' });
  }

  // ---------------------------------------------------------------- public, no sign-in
  publicDirectory(q: { region?: string; q?: string }): Observable<PublicDirectory> {
    return this.http.get<PublicDirectory>('/api/v1/public/directory', { params: toParams(q) });
  }
  publicListing(id: string): Observable<PublicListing & { quarter: string; publishedAt: string }> {
    return this.http.get<PublicListing & { quarter: string; publishedAt: string }>(`/api/v1/public/directory/listings/${encodeURIComponent(id)}`);
  }
  /** 示范零工市场 (issue 15 §5): the markets under 公示 and the designated model markets. */
  publicModelMarkets(): Observable<PublicModelMarkets> {
    return this.http.get<PublicModelMarkets>('/api/v1/public/directory/model-markets');
  }
  catalogue(region?: string): Observable<JobCatalogue> {
    return this.http.get<JobCatalogue>('/api/v1/public/directory/catalogue', { params: toParams({ region }) });
  }
}
