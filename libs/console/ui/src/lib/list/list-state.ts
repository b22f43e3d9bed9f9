import { DestroyRef, inject } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { Subject, map } from 'rxjs';
import { ProblemService } from '@linggong/console-core';
import { createListState, type Filters, type ListState, type ListStateOptions } from './list-state.core';

/** `createListState` bound to the current route's query parameters (call in an injection context). */
export function listState<F extends Filters, T>(options: ListStateOptions<F, T>): ListState<F, T> {
  const route = inject(ActivatedRoute);
  const router = inject(Router);
  const problems = inject(ProblemService);
  const destroyed = new Subject<void>();
  inject(DestroyRef).onDestroy(() => destroyed.next());
  const params = route.queryParamMap.pipe(
    map((m) => Object.fromEntries(m.keys.map((k) => [k, m.get(k) ?? undefined])) as Record<string, string | undefined>),
  );
  return createListState(
    options,
    { params, navigate: (queryParams, replaceUrl) => void router.navigate([], { relativeTo: route, queryParams, queryParamsHandling: 'merge', replaceUrl }) },
    (e) => problems.handle(e),
    destroyed,
  );
}
