import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type {
  ApplicationView, CandidateView, CreatePostInput, EmployerView, Page, PlacementStatus, PlacementView, PostStatus, PostView, ProhibitedWorkView,
  QueueEntryView, QueuePostsView, RegisterWorkerInput, WorkerView,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export interface PostQuery { page?: number; pageSize?: number; marketId?: string | null; status?: PostStatus | null; occupation?: string | null; q?: string | null }
export interface PlacementQuery { page?: number; pageSize?: number; marketId?: string | null; postId?: string | null; status?: PlacementStatus | null; day?: string | null }
export interface QueueQuery { occupation?: string | null; status?: 'waiting' | 'matched' | 'left' | 'all' }
export interface CheckInResult { created: boolean; entry: QueueEntryView }
export type ConfirmParty = 'employer' | 'worker' | 'both';
export type PayMethod = 'cash' | 'wechat' | 'alipay' | 'bank' | 'other';
export interface CompleteBody { amountPaidFen: number; paidBy: string; paidAt: string; method: PayMethod; note: string }

const enc = encodeURIComponent;

/** 即时快招 API: posts, the check-in queue, candidates, placements (the only place this library talks HTTP). */
@Injectable({ providedIn: 'root' })
export class JobsApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  // Posts
  posts(query: PostQuery): Observable<Page<PostView>> {
    return this.http.get<Page<PostView>>(`${this.base}/posts`, { params: toParams(query) });
  }
  createPost(marketId: string, body: CreatePostInput): Observable<PostView> {
    return this.http.post<PostView>(`${this.base}/markets/${enc(marketId)}/posts`, body);
  }
  review(id: string, decision: 'published' | 'rejected', reason: string): Observable<PostView> {
    return this.http.post<PostView>(`${this.base}/posts/${enc(id)}/review`, { decision, reason });
  }
  withdraw(id: string, reason: string): Observable<PostView> {
    return this.http.post<PostView>(`${this.base}/posts/${enc(id)}/withdraw`, { reason });
  }
  candidates(postId: string, limit = 30): Observable<CandidateView[]> {
    return this.http.get<CandidateView[]>(`${this.base}/posts/${enc(postId)}/candidates`, { params: toParams({ limit }) });
  }
  prohibitedWork(): Observable<ProhibitedWorkView[]> {
    return this.http.get<ProhibitedWorkView[]>(`${this.base}/prohibited-work`);
  }
  employers(query: { q?: string | null; status?: string | null; pageSize?: number } = {}): Observable<Page<EmployerView>> {
    return this.http.get<Page<EmployerView>>(`${this.base}/employers`, { params: toParams({ pageSize: 200, ...query }) });
  }

  // Workers at the desk: find by mobile (blind index), quick registration, check-in and the queue
  findWorker(mobile: string): Observable<Page<WorkerView>> {
    return this.http.get<Page<WorkerView>>(`${this.base}/workers`, { params: toParams({ mobile, pageSize: 1 }) });
  }
  registerWorker(marketId: string, body: RegisterWorkerInput): Observable<WorkerView> {
    return this.http.post<WorkerView>(`${this.base}/markets/${enc(marketId)}/workers`, body);
  }
  checkIn(marketId: string, workerId: string): Observable<CheckInResult> {
    return this.http.post<CheckInResult>(`${this.base}/markets/${enc(marketId)}/check-ins`, { workerId });
  }
  queue(marketId: string, query: QueueQuery = {}): Observable<QueueEntryView[]> {
    return this.http.get<QueueEntryView[]>(`${this.base}/markets/${enc(marketId)}/queue`, { params: toParams(query) });
  }

  /** Person first (issue 17 §6): the open posts for what a queued worker came for, with the guard's answer for them. */
  checkInPosts(checkInId: string): Observable<QueuePostsView> {
    return this.http.get<QueuePostsView>(`${this.base}/check-ins/${enc(checkInId)}/posts`);
  }
  /** The worker has gone: off today's waiting queue (checking in again brings them back). */
  leaveQueue(checkInId: string): Observable<QueueEntryView> {
    return this.http.post<QueueEntryView>(`${this.base}/check-ins/${enc(checkInId)}/leave`, {});
  }

  // Placements
  recommend(postId: string, workerId: string): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/placements`, { postId, workerId });
  }
  /** Online applications (应聘报名) from the public job board, waiting at the market's desk (issue 18 §1). */
  applications(marketId: string, status: 'pending' | 'recommended' | 'declined' | 'all' = 'pending'): Observable<Page<ApplicationView>> {
    return this.http.get<Page<ApplicationView>>(`${this.base}/markets/${marketId}/applications`, { params: { status, pageSize: 50 } });
  }
  recommendApplication(id: string): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/applications/${id}/recommend`, {});
  }
  declineApplication(id: string, reason: string): Observable<{ id: string; status: 'declined' }> {
    return this.http.post<{ id: string; status: 'declined' }>(`${this.base}/applications/${id}/decline`, { reason });
  }
  placements(query: PlacementQuery): Observable<Page<PlacementView>> {
    return this.http.get<Page<PlacementView>>(`${this.base}/placements`, { params: toParams(query) });
  }
  placement(id: string): Observable<PlacementView> {
    return this.http.get<PlacementView>(`${this.base}/placements/${enc(id)}`);
  }
  /** New QR codes for both parties; the old ones stop working. */
  reissueTokens(id: string): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/placements/${enc(id)}/tokens`, null);
  }
  confirm(id: string, party: ConfirmParty): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/placements/${enc(id)}/confirm`, { party });
  }
  start(id: string): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/placements/${enc(id)}/start`, {});
  }
  complete(id: string, body: CompleteBody): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/placements/${enc(id)}/complete`, body);
  }
  noShow(id: string, party: 'worker' | 'employer', note: string): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/placements/${enc(id)}/no-show`, { party, note });
  }
  cancel(id: string, reason: string): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/placements/${enc(id)}/cancel`, { reason });
  }
  nonPayment(id: string, amountOwedFen: number, description: string): Observable<PlacementView> {
    return this.http.post<PlacementView>(`${this.base}/placements/${enc(id)}/non-payment`, { amountOwedFen, description });
  }
}
