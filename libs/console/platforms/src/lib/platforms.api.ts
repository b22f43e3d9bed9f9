import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { DeliveryView, Page, PlatformSecretView, PlatformView, RegisterPlatformInput } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

/** Third-party platforms (R-E8): register, rotate, disable; the webhook delivery log. */
@Injectable({ providedIn: 'root' })
export class PlatformsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/platforms';

  list(query: { page?: number; pageSize?: number; status?: string | null; q?: string | null; sort?: string | null }): Observable<Page<PlatformView>> {
    return this.http.get<Page<PlatformView>>(this.base, { params: toParams(query) });
  }
  get(id: string): Observable<PlatformView> {
    return this.http.get<PlatformView>(`${this.base}/${encodeURIComponent(id)}`);
  }
  register(body: RegisterPlatformInput): Observable<PlatformSecretView> {
    return this.http.post<PlatformSecretView>(this.base, body);
  }
  rotate(id: string): Observable<PlatformSecretView> {
    return this.http.post<PlatformSecretView>(`${this.base}/${encodeURIComponent(id)}/rotate`, {});
  }
  disable(id: string, reason: string): Observable<PlatformView> {
    return this.http.post<PlatformView>(`${this.base}/${encodeURIComponent(id)}/disable`, { reason });
  }
  deliveries(id: string, query: { page?: number; pageSize?: number; status?: string | null; event?: string | null; sort?: string | null }): Observable<Page<DeliveryView>> {
    return this.http.get<Page<DeliveryView>>(`${this.base}/${encodeURIComponent(id)}/deliveries`, { params: toParams(query) });
  }
}
