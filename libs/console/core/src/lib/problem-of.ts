import { HttpErrorResponse } from '@angular/common/http';
import type { Problem } from '@linggong/domain/light';

/**
 * An HTTP failure as a problem document (the API's application/problem+json, already in the caller's
 * language), or a generic one worded by `t`. No ng-zorro here: the public pages show problems inline
 * and load without the console's message service (issue 17 §10).
 */
export function problemOf(err: unknown, t: (key: string, params?: Record<string, unknown>) => string): Problem {
  if (err instanceof HttpErrorResponse) {
    const body = err.error as Partial<Problem> | null;
    if (body && typeof body === 'object' && typeof body.title === 'string') {
      return { type: body.type ?? 'about:blank', status: err.status, ...body } as Problem;
    }
    if (err.status === 0) return { type: 'about:blank', status: 0, title: t('problem.network') };
    return { type: 'about:blank', status: err.status, title: t('problem.generic', { status: err.status }) };
  }
  return { type: 'about:blank', status: 0, title: t('problem.generic', { status: '?' }) };
}
