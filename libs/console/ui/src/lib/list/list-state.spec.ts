import { BehaviorSubject, Subject, of, throwError } from 'rxjs';
import type { Page, Problem } from '@linggong/domain';
import { createListState, type ListQuery, type ListStateOptions, type ListUrl } from './list-state.core';

type Params = Record<string, string | undefined>;

/** A router stand-in: a history of query-parameter sets, `navigate` merging like queryParamsHandling 'merge'. */
function fakeUrl(initial: Params = {}) {
  const history: Params[] = [initial];
  const params = new BehaviorSubject<Params>(initial);
  const url: ListUrl = {
    params,
    navigate: (patch) => {
      const next: Params = { ...params.value };
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      history.push(next);
      params.next(next);
    },
  };
  const back = () => {
    history.pop();
    params.next(history[history.length - 1]);
  };
  return { url, params, history, back, current: () => params.value };
}

const FILTERS = { q: '', status: null as string | null, mine: false };

function setup(initial: Params = {}, extra: Partial<ListStateOptions<typeof FILTERS, string>> = {}) {
  const queries: ListQuery<typeof FILTERS>[] = [];
  const u = fakeUrl(initial);
  const destroy = new Subject<void>();
  const problems: unknown[] = [];
  const state = createListState<typeof FILTERS, string>(
    {
      filters: FILTERS,
      load: (q) => {
        queries.push(q);
        return of<Page<string>>({ items: [`row p${q.page}`], total: 45, page: q.page, pageSize: q.pageSize });
      },
      ...extra,
    },
    u.url,
    (e) => {
      problems.push(e);
      return { type: 'about:blank', status: 500, title: 'failed' } as Problem;
    },
    destroy,
  );
  return { state, queries, problems, destroy, ...u };
}

describe('listState', () => {
  it('starts from the defaults and keeps them out of the URL', () => {
    const { state, queries, current, history } = setup();
    expect(queries).toEqual([{ filters: FILTERS, page: 1, pageSize: 20, sort: null }]);
    expect(state.items()).toEqual(['row p1']);
    expect(state.total()).toBe(45);
    expect(state.filtered()).toBe(false);
    state.search(); // nothing changed: loads again without a new history entry
    expect(queries).toHaveLength(2);
    expect(history).toHaveLength(1);
    expect(current()).toEqual({});
  });

  it('reads filters, page, page size and sort from the URL (a bookmark)', () => {
    const { state, queries } = setup({ q: '张', status: 'open', mine: 'true', page: '3', pageSize: '50', sort: 'createdAt.descend' });
    expect(queries[0]).toEqual({
      filters: { q: '张', status: 'open', mine: true }, page: 3, pageSize: 50, sort: { key: 'createdAt', order: 'descend' },
    });
    expect(state.draft.q()).toBe('张');
    expect(state.filtered()).toBe(true);
  });

  it('ignores malformed page and sort parameters', () => {
    const { queries } = setup({ page: '-2', pageSize: 'x', sort: 'name.sideways' });
    expect(queries[0]).toMatchObject({ page: 1, pageSize: 20, sort: null });
  });

  it('writes a committed filter to the URL and goes back to page 1', () => {
    const { state, queries, current } = setup({ page: '3' });
    state.draft.q.set('李');
    expect(queries).toHaveLength(1); // a draft is not a search
    state.search();
    expect(current()).toEqual({ q: '李' });
    expect(queries[1]).toMatchObject({ filters: { q: '李' }, page: 1 });
    state.setPage(2);
    expect(current()).toEqual({ q: '李', page: '2' });
    state.set({ status: 'closed' });
    expect(current()).toEqual({ q: '李', status: 'closed' });
    expect(state.page()).toBe(1);
  });

  it('omits a filter set back to its default and keeps parameters it does not own', () => {
    const { state, current } = setup({ tab: 'entries', status: 'open', pageSize: '50' });
    state.set({ status: null });
    expect(current()).toEqual({ tab: 'entries', pageSize: '50' });
    state.setPageSize(20);
    expect(current()).toEqual({ tab: 'entries' });
  });

  it('keeps a cleared filter whose default is set (status=) and reads it back', () => {
    const u = fakeUrl();
    const queries: ListQuery<{ status: string | null }>[] = [];
    const state = createListState(
      { filters: { status: 'open' as string | null }, load: (q) => (queries.push(q), of({ items: [], total: 0, page: 1, pageSize: 20 })) },
      u.url, () => ({ type: 'about:blank', status: 500, title: 'x' }) as Problem, new Subject<void>(),
    );
    expect(queries[0].filters.status).toBe('open');
    state.set({ status: null });
    expect(u.current()).toEqual({ status: '' });
    expect(queries[1].filters.status).toBeNull();
    expect(state.filtered()).toBe(true);
    state.set({ status: 'open' });
    expect(u.current()).toEqual({});
  });

  it('keeps transient filters (a searched mobile number) out of the URL but applies them', () => {
    const { state, current, queries, back } = setup({}, { transient: ['q'] });
    state.draft.q.set('13800138000');
    state.search();
    expect(current()).toEqual({});
    expect(queries[1].filters.q).toBe('13800138000');
    state.set({ status: 'open' });
    expect(current()).toEqual({ status: 'open' });
    expect(queries[2].filters).toMatchObject({ q: '13800138000', status: 'open' });
    back();
    expect(queries[3].filters).toMatchObject({ q: '13800138000', status: null });
    state.reset();
    expect(state.filters().q).toBe('');
  });

  it('restores the previous state on back', () => {
    const { state, queries, back } = setup();
    state.set({ q: 'a' });
    state.setPage(2);
    back();
    expect(state.page()).toBe(1);
    expect(state.filters().q).toBe('a');
    back();
    expect(state.filters().q).toBe('');
    expect(state.draft.q()).toBe('');
    expect(queries.map((q) => [q.filters.q, q.page])).toEqual([['', 1], ['a', 1], ['a', 2], ['a', 1], ['', 1]]);
  });

  it('reset returns to the defaults', () => {
    const { state, current } = setup({ q: 'x', mine: 'true', page: '4', sort: 'name.ascend', other: '1' });
    state.reset();
    expect(current()).toEqual({ other: '1' });
    expect(state.filters()).toEqual(FILTERS);
    expect(state.sort()).toBeNull();
  });

  it('a sort change goes to page 1 and is written to the URL', () => {
    const { state, current } = setup({ page: '2' }, { sort: { key: 'createdAt', order: 'descend' } });
    expect(state.sort()).toEqual({ key: 'createdAt', order: 'descend' });
    state.setSort({ key: 'name', order: 'ascend' });
    expect(current()).toEqual({ sort: 'name.ascend' });
    state.setSort(null);
    expect(current()).toEqual({ sort: '' });
    expect(state.sort()).toBeNull();
  });

  it('uses a prefix so two lists share one URL', () => {
    const { state, current, queries } = setup({ page: '5', 'e.page': '2' }, { prefix: 'e' });
    expect(queries[0].page).toBe(2);
    state.set({ q: 'k' });
    expect(current()).toEqual({ page: '5', 'e.q': 'k' });
  });

  it('does not load again when only parameters of others change', () => {
    const { queries, url } = setup();
    url.navigate({ tab: 'x' });
    expect(queries).toHaveLength(1);
  });

  it('debounces typing into one search', () => {
    jest.useFakeTimers();
    try {
      const { state, queries, current } = setup({}, { debounce: 300 });
      state.draft.q.set('王');
      state.typed();
      jest.advanceTimersByTime(200);
      state.draft.q.set('王五');
      state.typed();
      jest.advanceTimersByTime(299);
      expect(queries).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(current()).toEqual({ q: '王五' });
      expect(queries).toHaveLength(2);
      state.search(); // the search button after the debounce: the same state, loads once more only
      expect(queries).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the problem of a failed load and clears it on success', () => {
    let fail = true;
    const u = fakeUrl();
    const state = createListState(
      { filters: { q: '' }, load: () => (fail ? throwError(() => new Error('down')) : of({ items: [1], total: 1, page: 1, pageSize: 20 })) },
      u.url,
      () => ({ type: 'about:blank', status: 503, title: 'down' }) as Problem,
      new Subject<void>(),
    );
    expect(state.problem()?.title).toBe('down');
    expect(state.loading()).toBe(false);
    fail = false;
    state.reload();
    expect(state.problem()).toBeNull();
    expect(state.items()).toEqual([1]);
  });

  it('stops listening when destroyed', () => {
    const { queries, url, destroy } = setup();
    destroy.next();
    url.navigate({ q: 'late' });
    expect(queries).toHaveLength(1);
  });
});
