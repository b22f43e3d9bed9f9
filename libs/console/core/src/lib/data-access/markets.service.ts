import { Injectable, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import type { Observable } from 'rxjs';
import type {
  MarketOperationsInput, MarketStatus, MarketView, Page, RegisterMarketInput, UpdateMarketRegistrationInput,
} from '@linggong/domain';
import { toParams, type PageQuery } from './http-params';

export interface MarketQuery extends PageQuery { regionCode?: string | null; operatorId?: string | null; status?: MarketStatus | null }

@Injectable({ providedIn: 'root' })
export class MarketsService {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/markets';

  list(query: MarketQuery = {}): Observable<Page<MarketView>> {
    return this.http.get<Page<MarketView>>(this.base, { params: toParams(query) });
  }
  get(id: string): Observable<MarketView> {
    return this.http.get<MarketView>(`${this.base}/${id}`);
  }
  /** County reviewer or platform admin registers a market and assigns its operator (R-A3). */
  register(body: RegisterMarketInput): Observable<MarketView> {
    return this.http.post<MarketView>(this.base, body);
  }
  updateRegistration(id: string, body: UpdateMarketRegistrationInput): Observable<MarketView> {
    return this.http.patch<MarketView>(`${this.base}/${id}/registration`, body);
  }
  updateOperations(id: string, body: MarketOperationsInput): Observable<MarketView> {
    return this.http.patch<MarketView>(`${this.base}/${id}/operations`, body);
  }
}
