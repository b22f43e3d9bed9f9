import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type {
  CallbackSampleDetailView, CallbackSampleView, CreateCallbackSampleInput, CreateRectificationInput, InspectionDetailView, InspectionPlanView,
  InspectionView, OversightKpiResult, Page, RectificationDetailView, RectificationView, callbackOutcomeSchema, createInspectionPlanSchema,
  createInspectionSchema, inspectionReportSchema, rectificationEvidenceSchema, rectificationVerifySchema,
} from '@linggong/domain';
import { toParams } from '@linggong/console-core';

type Q = Record<string, string | number | null | undefined>;
const id = encodeURIComponent;

/** Oversight (issue 16): call-back samples, rectification orders, inspection plans and inspections. */
@Injectable({ providedIn: 'root' })
export class OversightApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1';

  samples(q: Q): Observable<Page<CallbackSampleView>> {
    return this.http.get<Page<CallbackSampleView>>(`${this.base}/callback-samples`, { params: toParams(q) });
  }
  sample(sampleId: string): Observable<CallbackSampleDetailView> {
    return this.http.get<CallbackSampleDetailView>(`${this.base}/callback-samples/${id(sampleId)}`);
  }
  commit(body: CreateCallbackSampleInput): Observable<CallbackSampleDetailView> {
    return this.http.post<CallbackSampleDetailView>(`${this.base}/callback-samples`, body);
  }
  draw(sampleId: string): Observable<CallbackSampleDetailView> {
    return this.http.post<CallbackSampleDetailView>(`${this.base}/callback-samples/${id(sampleId)}/draw`, {});
  }
  reveal(sampleId: string, workerId: string): Observable<{ workerId: string; name: string; mobile: string }> {
    return this.http.post<{ workerId: string; name: string; mobile: string }>(`${this.base}/callback-samples/${id(sampleId)}/reveal`, { workerId });
  }
  outcome(sampleId: string, callId: string, body: z.infer<typeof callbackOutcomeSchema>): Observable<CallbackSampleDetailView> {
    return this.http.post<CallbackSampleDetailView>(`${this.base}/callback-samples/${id(sampleId)}/calls/${id(callId)}/outcome`, body);
  }
  complete(sampleId: string): Observable<CallbackSampleDetailView> {
    return this.http.post<CallbackSampleDetailView>(`${this.base}/callback-samples/${id(sampleId)}/complete`, {});
  }
  kpis(q: { operatorId?: string | null; from: string; to: string }): Observable<OversightKpiResult[]> {
    return this.http.get<OversightKpiResult[]>(`${this.base}/oversight/kpis`, { params: toParams(q) });
  }

  rectifications(q: Q): Observable<Page<RectificationView>> {
    return this.http.get<Page<RectificationView>>(`${this.base}/rectifications`, { params: toParams(q) });
  }
  rectification(orderId: string): Observable<RectificationDetailView> {
    return this.http.get<RectificationDetailView>(`${this.base}/rectifications/${id(orderId)}`);
  }
  order(body: CreateRectificationInput): Observable<RectificationDetailView> {
    return this.http.post<RectificationDetailView>(`${this.base}/rectifications`, body);
  }
  start(orderId: string): Observable<RectificationDetailView> {
    return this.http.post<RectificationDetailView>(`${this.base}/rectifications/${id(orderId)}/start`, {});
  }
  evidence(orderId: string, body: z.infer<typeof rectificationEvidenceSchema>): Observable<RectificationDetailView> {
    return this.http.post<RectificationDetailView>(`${this.base}/rectifications/${id(orderId)}/evidence`, body);
  }
  verify(orderId: string, body: z.infer<typeof rectificationVerifySchema>): Observable<RectificationDetailView> {
    return this.http.post<RectificationDetailView>(`${this.base}/rectifications/${id(orderId)}/verification`, body);
  }
  close(orderId: string): Observable<RectificationDetailView> {
    return this.http.post<RectificationDetailView>(`${this.base}/rectifications/${id(orderId)}/close`, {});
  }

  plans(q: Q): Observable<Page<InspectionPlanView>> {
    return this.http.get<Page<InspectionPlanView>>(`${this.base}/inspection-plans`, { params: toParams(q) });
  }
  createPlan(body: z.input<typeof createInspectionPlanSchema>): Observable<InspectionPlanView> {
    return this.http.post<InspectionPlanView>(`${this.base}/inspection-plans`, body);
  }
  inspections(q: Q): Observable<Page<InspectionView>> {
    return this.http.get<Page<InspectionView>>(`${this.base}/inspections`, { params: toParams(q) });
  }
  inspection(inspectionId: string): Observable<InspectionDetailView> {
    return this.http.get<InspectionDetailView>(`${this.base}/inspections/${id(inspectionId)}`);
  }
  createInspection(body: z.input<typeof createInspectionSchema>): Observable<InspectionDetailView> {
    return this.http.post<InspectionDetailView>(`${this.base}/inspections`, body);
  }
  report(inspectionId: string, body: z.input<typeof inspectionReportSchema>): Observable<InspectionDetailView> {
    return this.http.post<InspectionDetailView>(`${this.base}/inspections/${id(inspectionId)}/report`, body);
  }
}
