import { computed, signal, type Signal, type WritableSignal } from '@angular/core';
import { Observable, Subject, catchError, debounceTime, map, of, switchMap, takeUntil } from 'rxjs';
import type { Page, Problem } from '@linggong/domain';

/** A filter's value: what a query parameter can carry and an input can edit. */
export type FilterValue = string | number | boolean | null;
export type Filters = Record<string, FilterValue>;

export type SortOrder = 'ascend' | 'descend';
export interface ListSort { key: string; order: SortOrder }

/** What the loader gets: the committed filters, the page (1-based), its size and the sort. */
export interface ListQuery<F extends Filters> { filters: F; page: number; pageSize: number; sort: ListSort | null }

export interface ListStateOptions<F extends Filters, T> {
  /** Every filter with its default; a default value is left out of the URL. */
  filters: F;
  /** Fetch one page from the server (HTTP lives in the page's data-access service). */
  load: (query: ListQuery<F>) => Observable<Page<T>>;
  pageSize?: number;
  sort?: ListSort | null;
  /** Query parameter prefix when one page shows several lists (`e` → `e.page`, `e.q`). */
  prefix?: string;
  /** Milliseconds `typed()` waits before searching (default 400). */
  debounce?: number;
  /**
   * Filters kept out of the URL (browser history, bookmarks, shared links): a full mobile number
   * searched for must not outlive the search (lists show it masked). They apply like the others.
   */
  transient?: (keyof F & string)[];
}

/** The URL side of a list, so the store can be driven without a router (unit tests). */
export interface ListUrl {
  params: Observable<Record<string, string | undefined>>;
  /** Merge these query parameters into the URL (null removes one), as a new history entry unless `replace`. */
  navigate: (params: Record<string, string | null>, replace?: boolean) => void;
}

export interface ListState<F extends Filters, T> {
  /** The filters as the inputs edit them; `search()` commits them. */
  readonly draft: { [K in keyof F]: WritableSignal<F[K]> };
  /** The filters of the rows shown (from the URL). */
  readonly filters: Signal<F>;
  readonly page: Signal<number>;
  readonly pageSize: Signal<number>;
  readonly sort: Signal<ListSort | null>;
  readonly items: Signal<T[]>;
  readonly total: Signal<number>;
  readonly loading: Signal<boolean>;
  /** The problem of the last load (null after a successful one). */
  readonly problem: Signal<Problem | null>;
  /** True when any filter differs from its default. */
  readonly filtered: Signal<boolean>;
  /** Commit the draft (page 1). */
  search(): void;
  /**
   * Set some filters (draft and committed, page 1) at once, e.g. from a select that applies on change.
   * `replaceUrl` for a change the page makes itself (not the user), so Back does not stop at it.
   */
  set(patch: Partial<F>, options?: { replaceUrl?: boolean }): void;
  /** Search after the user stops typing. */
  typed(): void;
  /** Back to the defaults (filters, page 1, sort). */
  reset(): void;
  setPage(page: number): void;
  setPageSize(pageSize: number): void;
  setSort(sort: ListSort | null): void;
  /** Load the current page again (after a change made on it). */
  reload(): void;
  /** Change rows in place (one row fetched again after an action), without a load. */
  patch(fn: (items: T[]) => T[]): void;
  /** The current query (for exports that follow the filters). */
  query(): ListQuery<F>;
}

const DEFAULT_PAGE_SIZE = 20;

function encode(v: FilterValue): string | null {
  if (v === null || v === '') return null;
  return String(v);
}

function decode(raw: string | undefined, def: FilterValue): FilterValue {
  if (raw === undefined) return def;
  if (raw === '') return def === '' ? '' : null;
  if (typeof def === 'number') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : def;
  }
  if (typeof def === 'boolean') return raw === 'true' || raw === '1';
  return raw;
}

function positiveInt(raw: string | undefined, def: number): number {
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : def;
}

function parseSort(raw: string | undefined, def: ListSort | null): ListSort | null {
  if (raw === undefined) return def;
  if (raw === '') return null;
  const i = raw.lastIndexOf('.');
  const order = raw.slice(i + 1);
  if (i <= 0 || (order !== 'ascend' && order !== 'descend')) return def;
  return { key: raw.slice(0, i), order };
}

const sortText = (s: ListSort | null) => (s ? `${s.key}.${s.order}` : '');

/**
 * The list store behind every server-paged console list (in the spirit of ng-alain/delon's ST
 * `pi`/`ps`/`req`): the URL's query parameters are the source of truth, so a list can be bookmarked
 * and the back button restores the previous filters, page and sort. Defaults are left out of the URL.
 * Call `listState()` (list-state.ts) in a component's constructor; this is the router-free core.
 */
export function createListState<F extends Filters, T>(
  options: ListStateOptions<F, T>, url: ListUrl, handleError: (e: unknown) => Problem, destroy$: Observable<unknown>,
): ListState<F, T> {
  const defaults = { ...options.filters };
  const keys = Object.keys(defaults) as (keyof F & string)[];
  const transient = new Set<string>(options.transient ?? []);
  const urlKeys = keys.filter((k) => !transient.has(k));
  const defaultSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const defaultSort = options.sort ?? null;
  const p = (name: string) => (options.prefix ? `${options.prefix}.${name}` : name);

  const filters = signal<F>({ ...defaults });
  const page = signal(1);
  const pageSize = signal(defaultSize);
  const sort = signal<ListSort | null>(defaultSort);
  const items = signal<T[]>([]);
  const total = signal(0);
  const loading = signal(false);
  const problem = signal<Problem | null>(null);
  const draft = Object.fromEntries(keys.map((k) => [k, signal(defaults[k])])) as unknown as { [K in keyof F]: WritableSignal<F[K]> };

  const query = (): ListQuery<F> => ({ filters: filters(), page: page(), pageSize: pageSize(), sort: sort() });

  /** The query parameters of a state; defaults are null (absent from the URL). */
  const toParams = (q: ListQuery<F>): Record<string, string | null> => {
    const out: Record<string, string | null> = {};
    // A cleared filter whose default is not empty stays in the URL as `key=` (else the default would come back).
    for (const k of urlKeys) out[p(k)] = encode(q.filters[k]) === encode(defaults[k]) ? null : (encode(q.filters[k]) ?? '');
    out[p('page')] = q.page === 1 ? null : String(q.page);
    out[p('pageSize')] = q.pageSize === defaultSize ? null : String(q.pageSize);
    out[p('sort')] = sortText(q.sort) === sortText(defaultSort) ? null : sortText(q.sort);
    return out;
  };

  const loads = new Subject<void>();
  loads
    .pipe(
      switchMap(() => {
        loading.set(true);
        return options.load(query()).pipe(
          map((res) => ({ res, err: null as Problem | null })),
          catchError((e: unknown) => of({ res: null, err: handleError(e) })),
        );
      }),
      takeUntil(destroy$),
    )
    .subscribe(({ res, err }) => {
      loading.set(false);
      problem.set(err);
      if (res) {
        items.set(res.items);
        total.set(res.total);
      }
    });

  // Only this list's parameters matter (a page may hold other lists or a tab in its URL).
  let applied: string | null = null;
  url.params.pipe(takeUntil(destroy$)).subscribe((params) => {
    const own = JSON.stringify([...urlKeys, 'page', 'pageSize', 'sort'].map((k) => params[p(k)] ?? null));
    if (own === applied) return;
    applied = own;
    const f = { ...filters() };
    for (const k of urlKeys) (f as Filters)[k] = decode(params[p(k)], defaults[k]);
    filters.set(f);
    for (const k of urlKeys) draft[k].set(f[k]);
    page.set(positiveInt(params[p('page')], 1));
    pageSize.set(positiveInt(params[p('pageSize')], defaultSize));
    sort.set(parseSort(params[p('sort')], defaultSort));
    loads.next();
  });

  /** Go to a state: through the URL when it changes, else load again (same URL, no navigation). */
  const go = (next: ListQuery<F>, replace = false) => {
    const now = toParams(query());
    if (transient.size) filters.update((f) => ({ ...f, ...Object.fromEntries([...transient].map((k) => [k, next.filters[k]])) }));
    const target = toParams(next);
    if (Object.keys(target).every((k) => target[k] === now[k])) loads.next();
    else url.navigate(target, replace);
  };

  const readDraft = () => Object.fromEntries(keys.map((k) => [k, draft[k]()])) as unknown as F;

  const typing = new Subject<void>();
  typing.pipe(debounceTime(options.debounce ?? 400), takeUntil(destroy$)).subscribe(() => {
    const next = readDraft();
    // Typing that ends where it started (or was already searched) loads nothing.
    if (keys.some((k) => encode(next[k]) !== encode(filters()[k]))) go({ ...query(), filters: next, page: 1 });
  });

  return {
    draft,
    filters: filters.asReadonly(),
    page: page.asReadonly(),
    pageSize: pageSize.asReadonly(),
    sort: sort.asReadonly(),
    items: items.asReadonly(),
    total: total.asReadonly(),
    loading: loading.asReadonly(),
    problem: problem.asReadonly(),
    filtered: computed(() => keys.some((k) => encode(filters()[k]) !== encode(defaults[k]))),
    search: () => go({ ...query(), filters: readDraft(), page: 1 }),
    set: (patch, opts) => {
      for (const k of Object.keys(patch) as (keyof F & string)[]) draft[k].set(patch[k] as F[typeof k]);
      go({ ...query(), filters: readDraft(), page: 1 }, opts?.replaceUrl ?? false);
    },
    typed: () => typing.next(),
    reset: () => {
      for (const k of keys) draft[k].set(defaults[k]);
      go({ filters: { ...defaults }, page: 1, pageSize: pageSize(), sort: defaultSort });
    },
    setPage: (n) => go({ ...query(), page: n }),
    setPageSize: (n) => go({ ...query(), pageSize: n, page: 1 }),
    setSort: (s) => go({ ...query(), sort: s, page: 1 }),
    reload: () => loads.next(),
    patch: (fn) => items.update(fn),
    query,
  };
}

