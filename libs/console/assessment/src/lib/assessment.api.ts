import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { map, type Observable } from 'rxjs';
import type { Consequence, Grade, GradeBand, GradeFactors, Page, ScheduleItem, TemplateBody, UnitRate } from '@linggong/domain';
import { toParams } from '@linggong/console-core';

/** An operator the county may contract (`assessment_searchContractOperators`): the minimum to pick it. */
export interface ContractOperator { id: string; name: string; creditCode: string | null; regionCode: string; regionName: string }

export interface ContractView {
  id: string; regionCode: string; operatorId: string; operatorName: string; number: string; version: number; title: string; termFrom: string; termTo: string;
  marketIds: string[]; amountFen: number; schedule: ScheduleItem[]; unitRates: UnitRate[]; gradeFactors: GradeFactors;
  needsTerms: boolean; live: boolean; documentSm3: string | null;
}
export interface TemplateView { id: string; provinceCode: string; regionCode: string | null; baseId: string | null; name: string; version: number; body: TemplateBody; createdAt: string }
export type CycleState = 'open' | 'frozen' | 'published';
export interface CycleView {
  id: string; regionCode: string; name: string; kind: string; periodFrom: string; periodTo: string; cutoff: string; selfDeadline: string; reviewDeadline: string;
  state: CycleState; templateName?: string; templateVersion?: number; assessments?: number; published?: number;
}
export interface AssessmentSummary {
  id: string; cycleId: string; contractId: string; operatorId: string; regionCode: string; operatorName: string; contractNumber: string; cycleName: string; periodFrom: string; periodTo: string;
  state: string; sampled: boolean; total: number | null; grade: Grade | null; consequence: Consequence | null;
  appeal: { reason: string; decision: string | null; decisionReason: string | null; totalBefore: number | null } | null;
}
export interface ItemView {
  code: string; kind: 'kpi' | 'evidence'; zh: string; path: string[]; pathNames: string[]; weight: number;
  kpi: { code: string; zh: string; direction: string; target: number; floor: number } | null;
  value: number | null; provisional: boolean; drilldown: string[]; rulePoints: number | null; selfScore: number | null; selfExplanation: string | null;
  evidence: { attachmentSm3?: string; marketId?: string; seq?: number; note?: string }[];
  countyScore: number | null; countyComment: string | null; auditScore: number | null; auditReason: string | null; appealScore: number | null; finalPoints: number;
}
export interface AssessmentDetail extends AssessmentSummary {
  cycle: CycleView & { appealDays: number };
  deadlines: { self: string; review: string; appeal: string | null; selfOpen: boolean };
  figures: { version: number; digest: string; frozenAt: string } | null;
  figureVersions: { version: number; digest: string; frozenAt: string; reason: string | null }[];
  markets: { id: string; name: string }[];
  items: ItemView[];
}
export interface ResultView { assessmentId: string; cycleName: string; periodFrom: string; periodTo: string; tenantId: string; regionCode: string; total: number; grade: Grade; consequence: Consequence; final: boolean; appealed: boolean }
export type { GradeBand };
/** Model markets (issue 15 §5). */
export interface ModelNote { key: string; params?: Record<string, string | number> }
export interface ModelEvaluated { marketId: string; name: string; regionCode: string; grade: Grade | null; total: number | null; eligible: boolean; reasons: ModelNote[]; exclusions: ModelNote[] }
export interface ModelEvaluation { cycle: { id: string; name: string; periodFrom: string; periodTo: string }; level: string; regionCode: string; day: string; markets: ModelEvaluated[] }
export interface ModelTitleView {
  id: string; listId: string; marketId: string; name: string; level: 'province' | 'city'; regionCode: string; grantRegion: string; state: 'notice' | 'designated' | 'dropped' | 'revoked';
  reasons: ModelNote[]; decisionReason: string | null; noticeFrom: string; noticeUntil: string; designatedAt: string | null; revokedReason: string | null; revokedAt: string | null; listTitle?: string;
  objections?: { id: string; channel: string; content: string; recordedAt: string }[];
}
export interface ModelListView {
  id: string; level: 'province' | 'city'; regionCode: string; cycleId: string; title: string; minGrade: Grade; noticeDays: number; noticeFrom: string; noticeUntil: string;
  state: 'notice' | 'designated'; proposedBy: string; proposedAt: string; designatedAt: string | null; cycleName?: string; markets?: number; designated?: number; objections?: number;
}
export interface ModelListDetail extends Omit<ModelListView, 'markets'> { markets: ModelTitleView[]; evaluation: ModelEvaluation }

const page = <T>(items: T[]): Page<T> => ({ items, total: items.length, page: 1, pageSize: Math.max(items.length, 1) });

/** Assessment (issue 15): contracts, templates, cycles, assessments, results. */
@Injectable({ providedIn: 'root' })
export class AssessmentApi {
  private readonly http = inject(HttpClient);

  contracts(): Observable<Page<ContractView>> {
    return this.http.get<ContractView[]>('/api/v1/contracts').pipe(map(page));
  }
  templates(): Observable<TemplateView[]> {
    return this.http.get<TemplateView[]>('/api/v1/assessment-templates');
  }
  defaultTemplate(): Observable<TemplateBody> {
    return this.http.get<TemplateBody>('/api/v1/assessment-templates/default');
  }
  saveTemplate(name: string, body: TemplateBody): Observable<TemplateView> {
    return this.http.post<TemplateView>('/api/v1/assessment-templates', { name, body });
  }
  saveLocalTemplate(baseId: string, name: string, body: TemplateBody): Observable<TemplateView> {
    return this.http.post<TemplateView>(`/api/v1/assessment-templates/${encodeURIComponent(baseId)}/local`, { name, body });
  }
  cycles(state: string | null): Observable<Page<CycleView>> {
    return this.http.get<CycleView[]>('/api/v1/assessment-cycles', { params: toParams({ state }) }).pipe(map(page));
  }
  cycle(id: string): Observable<CycleView & { assessments: AssessmentSummary[] }> {
    return this.http.get<CycleView & { assessments: AssessmentSummary[] }>(`/api/v1/assessment-cycles/${encodeURIComponent(id)}`);
  }
  cycleAction(id: string, action: 'freeze' | 'publish'): Observable<CycleView> {
    return this.http.post<CycleView>(`/api/v1/assessment-cycles/${encodeURIComponent(id)}/${action}`, {});
  }
  get(id: string): Observable<AssessmentDetail> {
    return this.http.get<AssessmentDetail>(`/api/v1/assessments/${encodeURIComponent(id)}`);
  }
  put(id: string, step: 'self-assessment' | 'review' | 'audit', body: unknown): Observable<AssessmentDetail> {
    return this.http.put<AssessmentDetail>(`/api/v1/assessments/${encodeURIComponent(id)}/${step}`, body);
  }
  post(id: string, step: 'appeal' | 'appeal-decision', body: unknown): Observable<AssessmentDetail> {
    return this.http.post<AssessmentDetail>(`/api/v1/assessments/${encodeURIComponent(id)}/${step}`, body);
  }
  openCycle(body: Record<string, unknown>): Observable<CycleView> {
    return this.http.post<CycleView>('/api/v1/assessment-cycles', body);
  }
  liveContracts(): Observable<ContractView[]> {
    return this.http.get<ContractView[]>('/api/v1/contracts');
  }
  /** Active operators to contract, by name or credit code, those registered in other counties included (issue 15 §1). */
  contractOperators(q: string): Observable<ContractOperator[]> {
    return this.http.get<ContractOperator[]>('/api/v1/contracts/operators', { params: { q } });
  }
  createContract(body: Record<string, unknown>): Observable<ContractView> {
    return this.http.post<ContractView>('/api/v1/contracts', body);
  }
  /** `assessment_amendContract`: the next version of a live contract, with a reason (the amended version stays, superseded). */
  amendContract(id: string, body: Record<string, unknown>): Observable<ContractView> {
    return this.http.post<ContractView>(`/api/v1/contracts/${encodeURIComponent(id)}/amendments`, body);
  }
  modelLists(): Observable<Page<ModelListView>> {
    return this.http.get<ModelListView[]>('/api/v1/model-market-lists').pipe(map(page));
  }
  modelList(id: string): Observable<ModelListDetail> {
    return this.http.get<ModelListDetail>(`/api/v1/model-market-lists/${encodeURIComponent(id)}`);
  }
  modelEligibility(cycleId: string): Observable<ModelEvaluation> {
    return this.http.get<ModelEvaluation>('/api/v1/model-market-lists/eligibility', { params: toParams({ cycleId }) });
  }
  proposeModelMarkets(body: { cycleId: string; title: string; noticeDays: number; marketIds?: string[] }): Observable<ModelListDetail> {
    return this.http.post<ModelListDetail>('/api/v1/model-market-lists', body);
  }
  modelObjection(id: string, body: { marketId: string; channel: string; content: string }): Observable<ModelListDetail> {
    return this.http.post<ModelListDetail>(`/api/v1/model-market-lists/${encodeURIComponent(id)}/objections`, body);
  }
  designateModelMarkets(id: string, decisions: { marketId: string; keep: boolean; reason: string }[]): Observable<ModelListDetail> {
    return this.http.post<ModelListDetail>(`/api/v1/model-market-lists/${encodeURIComponent(id)}/designation`, { decisions });
  }
  revokeModelMarket(id: string, reason: string): Observable<ModelTitleView> {
    return this.http.post<ModelTitleView>(`/api/v1/model-markets/${encodeURIComponent(id)}/revocation`, { reason });
  }
  results(): Observable<Page<ResultView>> {
    return this.http.get<ResultView[]>('/api/v1/assessments/results').pipe(map(page));
  }
}
