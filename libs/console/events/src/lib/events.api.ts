import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { CreateEventInput, EventDetailView, EventView, Page, PostView, eventAttendanceSchema, eventStatusSchema } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

/** Events (R-B13): plan, attendance, status, posts linked and hires counted. */
@Injectable({ providedIn: 'root' })
export class EventsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  list(query: { page?: number; pageSize?: number; marketId?: string | null; kind?: string | null; status?: string | null }): Observable<Page<EventView>> {
    return this.http.get<Page<EventView>>(`${this.base}/events`, { params: toParams(query) });
  }
  get(id: string): Observable<EventDetailView> {
    return this.http.get<EventDetailView>(`${this.base}/events/${encodeURIComponent(id)}`);
  }
  create(marketId: string, body: CreateEventInput): Observable<EventDetailView> {
    return this.http.post<EventDetailView>(`${this.base}/markets/${encodeURIComponent(marketId)}/events`, body);
  }
  setStatus(id: string, body: z.infer<typeof eventStatusSchema>): Observable<EventDetailView> {
    return this.http.post<EventDetailView>(`${this.base}/events/${encodeURIComponent(id)}/status`, body);
  }
  attendance(id: string, body: z.infer<typeof eventAttendanceSchema>): Observable<EventDetailView> {
    return this.http.post<EventDetailView>(`${this.base}/events/${encodeURIComponent(id)}/attendance`, body);
  }
  linkPosts(id: string, postIds: string[]): Observable<EventDetailView> {
    return this.http.post<EventDetailView>(`${this.base}/events/${encodeURIComponent(id)}/posts`, { postIds });
  }
  /** The market's posts to choose from (即时快招's list). */
  posts(marketId: string): Observable<Page<PostView>> {
    return this.http.get<Page<PostView>>(`${this.base}/posts`, { params: toParams({ marketId, pageSize: 200 }) });
  }
}
