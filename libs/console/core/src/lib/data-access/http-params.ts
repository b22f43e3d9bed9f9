import { HttpParams } from '@angular/common/http';

/** Query parameters without the empty ones, so filters left blank are not sent. */
export function toParams(query: object = {}): HttpParams {
  let params = new HttpParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params = params.set(k, String(v));
  }
  return params;
}

export interface PageQuery { page?: number; pageSize?: number; q?: string; sort?: string }
