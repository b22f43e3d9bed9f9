import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type {
  AssistancePackage, PackageInput, EmployerView, HardshipInput, HardshipView, Page, PlanStepInput, PlanView, PublicWelfareView, ServiceRecordInput, ServiceRecordView,
  WorkerAssistanceView, WorkerView, openPlanSchema, publicWelfareSchema,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

export interface PlanQuery { page?: number; pageSize?: number; marketId?: string | null; status?: string | null; behind?: 'true' | null; mobile?: string | null }
export interface ServiceQuery { page?: number; pageSize?: number; marketId?: string | null; kind?: string | null }

/** Assistance plans, hardship records and public-welfare posts (R-B9); service records (R-B12, R-B14). */
@Injectable({ providedIn: 'root' })
export class AssistanceApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  plans(q: PlanQuery): Observable<Page<PlanView>> {
    return this.http.get<Page<PlanView>>(`${this.base}/assistance-plans`, { params: toParams(q) });
  }
  plan(id: string): Observable<PlanView> {
    return this.http.get<PlanView>(`${this.base}/assistance-plans/${encodeURIComponent(id)}`);
  }
  addStep(id: string, body: PlanStepInput): Observable<PlanView> {
    return this.http.post<PlanView>(`${this.base}/assistance-plans/${encodeURIComponent(id)}/steps`, body);
  }
  close(id: string, reason: string): Observable<PlanView> {
    return this.http.post<PlanView>(`${this.base}/assistance-plans/${encodeURIComponent(id)}/closure`, { reason });
  }
  recordHardship(workerId: string, body: HardshipInput): Observable<HardshipView> {
    return this.http.post<HardshipView>(`${this.base}/workers/${encodeURIComponent(workerId)}/hardship`, body);
  }
  withdrawHardship(workerId: string): Observable<{ workerId: string; tier: number; closedPlanId: string | null }> {
    return this.http.post<{ workerId: string; tier: number; closedPlanId: string | null }>(`${this.base}/workers/${encodeURIComponent(workerId)}/hardship/withdrawal`, {});
  }
  hardship(workerId: string): Observable<HardshipView> {
    return this.http.get<HardshipView>(`${this.base}/workers/${encodeURIComponent(workerId)}/hardship`);
  }
  openPlan(workerId: string, body: z.infer<typeof openPlanSchema>): Observable<PlanView> {
    return this.http.post<PlanView>(`${this.base}/workers/${encodeURIComponent(workerId)}/assistance-plans`, body);
  }
  forWorker(workerId: string): Observable<WorkerAssistanceView> {
    return this.http.get<WorkerAssistanceView>(`${this.base}/workers/${encodeURIComponent(workerId)}/assistance`);
  }
  placePublicWelfare(workerId: string, body: z.infer<typeof publicWelfareSchema>): Observable<PublicWelfareView> {
    return this.http.post<PublicWelfareView>(`${this.base}/workers/${encodeURIComponent(workerId)}/public-welfare-posts`, body);
  }
  findWorker(mobile: string): Observable<Page<WorkerView>> {
    return this.http.get<Page<WorkerView>>(`${this.base}/workers`, { params: toParams({ mobile, pageSize: 1 }) });
  }
  findEmployers(q: string): Observable<Page<EmployerView>> {
    return this.http.get<Page<EmployerView>>(`${this.base}/employers`, { params: toParams({ q, pageSize: 20 }) });
  }
  packages(): Observable<AssistancePackage[]> {
    return this.http.get<AssistancePackage[]>(`${this.base}/assistance-packages`);
  }
  setPackage(code: string, body: PackageInput): Observable<AssistancePackage> {
    return this.http.put<AssistancePackage>(`${this.base}/assistance-packages/${encodeURIComponent(code)}`, body);
  }
  services(q: ServiceQuery): Observable<Page<ServiceRecordView>> {
    return this.http.get<Page<ServiceRecordView>>(`${this.base}/service-records`, { params: toParams(q) });
  }
  createService(marketId: string, body: ServiceRecordInput): Observable<ServiceRecordView> {
    return this.http.post<ServiceRecordView>(`${this.base}/markets/${encodeURIComponent(marketId)}/service-records`, body);
  }
}
