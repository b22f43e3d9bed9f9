import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { shareReplay, type Observable } from 'rxjs';
import type { RegionView } from '@linggong/domain';
import { toParams } from './http-params';

/** GB/T 2260 regions; they never change during a session, so answers are cached. */
@Injectable({ providedIn: 'root' })
export class RegionsService {
  private readonly http = inject(HttpClient);
  private readonly childrenCache = new Map<string, Observable<RegionView[]>>();
  private readonly oneCache = new Map<string, Observable<RegionView>>();

  /** Children of `parent`, or the provinces when no parent is given. */
  children(parent?: string): Observable<RegionView[]> {
    const key = parent ?? '';
    let hit = this.childrenCache.get(key);
    if (!hit) {
      hit = this.http.get<RegionView[]>('/api/v1/regions', { params: toParams({ parent }) }).pipe(shareReplay(1));
      this.childrenCache.set(key, hit);
    }
    return hit;
  }

  get(code: string): Observable<RegionView> {
    let hit = this.oneCache.get(code);
    if (!hit) {
      hit = this.http.get<RegionView>(`/api/v1/regions/${encodeURIComponent(code)}`).pipe(shareReplay(1));
      this.oneCache.set(code, hit);
    }
    return hit;
  }
}
