import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { BoardApplicationResult, BoardPage, BoardPostView, PushPageView } from '@linggong/domain/light';

export interface BoardSearch {
  occupation?: string; region?: string; minWageFen?: number; startFrom?: string; startTo?: string; lat?: number; lng?: number;
  withinKm?: number; sort?: 'start' | 'wage' | 'distance'; page?: number; pageSize?: number;
}
export interface BoardApplicationBody { name: string; mobile: string; consent: true; jobPush: boolean; website?: string }
/** The counties with a published market (the public directory's region tree), for the board's county choice. */
export interface BoardRegion { code: string; name: string | null; parent: string | null }

/** The province-wide job board and the worker's push page (`/api/v1/public/board`, `/api/v1/public/push`): HTTP for the board pages only. */
@Injectable({ providedIn: 'root' })
export class BoardApi {
  private readonly http = inject(HttpClient);

  search(q: BoardSearch): Observable<BoardPage> {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') params[k] = String(v);
    return this.http.get<BoardPage>('/api/v1/public/board/posts', { params });
  }
  post(id: string): Observable<BoardPostView> {
    return this.http.get<BoardPostView>(`/api/v1/public/board/posts/${encodeURIComponent(id)}`);
  }
  apply(id: string, body: BoardApplicationBody): Observable<BoardApplicationResult> {
    return this.http.post<BoardApplicationResult>(`/api/v1/public/board/posts/${encodeURIComponent(id)}/applications`, body);
  }
  regions(): Observable<{ regions: BoardRegion[] }> {
    return this.http.get<{ regions: BoardRegion[] }>('/api/v1/public/directory');
  }
  pushPage(token: string): Observable<PushPageView> {
    return this.http.get<PushPageView>(`/api/v1/public/push/${encodeURIComponent(token)}`);
  }
  unsubscribe(token: string): Observable<{ subscribed: false }> {
    return this.http.post<{ subscribed: false }>(`/api/v1/public/push/${encodeURIComponent(token)}/unsubscribe`, {});
  }
}
