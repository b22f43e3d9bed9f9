import {
  ChangeDetectionStrategy, Component, Directive, ElementRef, TemplateRef, computed, contentChildren, effect, inject, input, output, signal,
} from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzTableModule, type NzTableQueryParams, type NzTableSize } from 'ng-zorro-antd/table';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzEmptyModule } from 'ng-zorro-antd/empty';
import { NzCardModule } from 'ng-zorro-antd/card';
import type { Filters, ListSort, ListState, SortOrder } from './list-state.core';

/** One column of a list: a title (i18n key), the cell template named `cell` (or `key`), else the row's `key` value. */
export interface ListColumn {
  key: string;
  /** i18n key of the header; '' for none. */
  title: string;
  /** The template (`<ng-template lgCell="…">`) that renders the cell; defaults to `key`. */
  cell?: string;
  /** The server sorts by this column (its `key` is the sort key). */
  sort?: boolean;
  width?: string;
  align?: 'left' | 'right' | 'center';
  /** Class(es) of the header and the cells, e.g. the utilities' `lg-nowrap`. */
  className?: string;
  /** `data-testid` of the column's cells. */
  testId?: string;
  /** This column holds the row's expand toggle; the expanded row is the `lgCell="expanded"` template. */
  expand?: boolean;
}

export interface LgCellContext<T> { $implicit: T; index: number }

/**
 * A named cell template (delon ST's `st-row`): `<ng-template lgCell="name" [lgCellOf]="list" let-row>`.
 * `lgCellOf` (the list state) only types `row`.
 */
@Directive({ selector: 'ng-template[lgCell]' })
export class LgCell<T> {
  readonly lgCell = input.required<string>();
  readonly lgCellOf = input<ListState<Filters, T>>();
  readonly template = inject<TemplateRef<LgCellContext<T>>>(TemplateRef);

  // Types `let-row` in templates (Angular's context guard); there is nothing to check at run time.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  static ngTemplateContextGuard<T>(dir: LgCell<T>, ctx: unknown): ctx is LgCellContext<T> {
    return true;
  }
}

export type RowAttrs = Record<string, string | number | boolean | null>;

/** Sets a row's data attributes (names are data, so `[attr.x]` cannot); null removes one. */
@Directive({ selector: '[lgAttrs]' })
export class LgAttrs {
  readonly lgAttrs = input<RowAttrs | null>(null);

  constructor() {
    const el = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    let names: string[] = [];
    effect(() => {
      const attrs = this.lgAttrs() ?? {};
      for (const n of names) if (!(n in attrs)) el.removeAttribute(n);
      for (const [n, v] of Object.entries(attrs)) {
        if (v === null) el.removeAttribute(n);
        else el.setAttribute(n, String(v));
      }
      names = Object.keys(attrs);
    });
  }
}

/**
 * A server-paged console list: page header with its actions, the filter bar, the ng-zorro table
 * (paging, sorting, empty and error states) drawn from column definitions and named cell templates.
 * Slots: `[lgListActions]` (header buttons), `[lgListBefore]` (between header and list card),
 * `[lgListFilters]` (filter bar), `[lgListAbove]` (between filters and table); the rest (dialogs) is
 * projected after the table.
 */
@Component({
  selector: 'lg-list-page',
  imports: [NgTemplateOutlet, LgAttrs, TranslocoPipe, NzTableModule, NzAlertModule, NzButtonModule, NzEmptyModule, NzCardModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (heading()) {
      <div class="lg-page-header">
        <h2>{{ heading() | transloco }}</h2>
        <div class="lg-toolbar"><ng-content select="[lgListActions]" /></div>
      </div>
    } @else {
      <ng-content select="[lgListActions]" />
    }
    <ng-content select="[lgListBefore]" />
    <nz-card>
      <ng-content select="[lgListFilters]" />
      <ng-content select="[lgListAbove]" />
      @if (list().problem(); as p) {
        <nz-alert class="lg-mb" nzType="error" nzShowIcon [nzMessage]="p.detail ?? p.title" [nzAction]="retry" data-testid="list-problem" />
        <ng-template #retry><button nz-button nzSize="small" (click)="list().reload()">{{ 'common.retry' | transloco }}</button></ng-template>
      }
      <nz-table
        #t
        [attr.data-testid]="testId()"
        [nzData]="list().items()"
        [nzTotal]="list().total()"
        [nzPageIndex]="list().page()"
        [nzPageSize]="list().pageSize()"
        [nzLoading]="list().loading()"
        [nzFrontPagination]="false"
        [nzShowSizeChanger]="sizeChanger()"
        [nzShowTotal]="totalTpl"
        [nzSize]="size()"
        [nzNoResult]="emptyTpl"
        [nzScroll]="scrollX() ? { x: scrollX() } : {}"
        (nzQueryParams)="onQuery($event)"
      >
        <thead>
          <tr>
            @for (c of columns(); track c.key) {
              <th [nzColumnKey]="c.key" [nzShowSort]="!!c.sort" [nzSortFn]="c.sort ? true : null" [nzSortOrder]="order(c)" [nzWidth]="c.width ?? null" [nzAlign]="c.align ?? null" [class]="c.className ?? ''">
                {{ c.title ? (c.title | transloco) : '' }}
              </th>
            }
          </tr>
        </thead>
        <tbody>
          @for (row of t.data; track $index; let i = $index) {
            <tr [attr.data-testid]="rowTestId()" [attr.data-id]="rowId(row)" [lgAttrs]="attrsOf(row)">
              @for (c of columns(); track c.key) {
                @if (c.expand) {
                  <td [nzExpand]="expanded().has(rowKey(row, i))" (nzExpandChange)="toggle(rowKey(row, i), row, $event)"></td>
                } @else {
                  <td [nzAlign]="c.align ?? null" [class]="c.className ?? ''" [attr.data-testid]="c.testId ?? null">
                    @if (cells().get(c.cell ?? c.key); as tpl) {
                      <ng-container *ngTemplateOutlet="tpl; context: { $implicit: row, index: i }" />
                    } @else {
                      {{ value(row, c.key) }}
                    }
                  </td>
                }
              }
            </tr>
            @if (cells().get('expanded'); as tpl) {
              <tr [nzExpand]="expanded().has(rowKey(row, i))">
                <ng-container *ngTemplateOutlet="tpl; context: { $implicit: row, index: i }" />
              </tr>
            }
          }
        </tbody>
      </nz-table>
    </nz-card>
    <ng-template #totalTpl let-total>{{ 'common.total' | transloco: { total } }}</ng-template>
    <ng-template #emptyTpl>
      <nz-empty nzNotFoundImage="simple" [nzNotFoundContent]="(list().filtered() ? 'common.noMatch' : empty()) | transloco" data-testid="list-empty" />
    </ng-template>
    <ng-content />
  `,
})
export class LgListPage {
  // The page's own state type is wider than the kit needs; the kit only reads it and calls its setters.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly list = input.required<ListState<any, any>>();
  readonly columns = input.required<readonly ListColumn[]>();
  /** i18n key of the page title; without it the actions slot is shown as is. */
  readonly heading = input<string>('');
  readonly testId = input<string | null>(null);
  readonly rowTestId = input<string | null>(null);
  readonly size = input<NzTableSize>('default');
  readonly sizeChanger = input(false);
  /**
   * A table wider than the page's content (many columns) scrolls inside its own box from this width
   * (e.g. '1200px') instead of widening the page (issue 17 §8: every page fits 1280 px).
   */
  readonly scrollX = input<string | null>(null);
  /** Data attributes of a row, e.g. `(p) => ({ 'data-behind': p.behind })`. */
  readonly rowAttrs = input<((row: any) => RowAttrs) | null>(null); // eslint-disable-line @typescript-eslint/no-explicit-any
  /** i18n key shown when the list is empty and no filter is set. */
  readonly empty = input('common.noData');
  /** A row opened or closed (e.g. to load what its expanded row shows). */
  readonly rowExpand = output<{ row: any; open: boolean }>(); // eslint-disable-line @typescript-eslint/no-explicit-any

  /** Expanded rows by id (they stay open across reloads, as a row's details are refreshed). */
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  private readonly cellDirs = contentChildren(LgCell, { descendants: true });
  protected readonly cells = computed(() => new Map(this.cellDirs().map((d) => [d.lgCell(), d.template as TemplateRef<unknown>])));

  protected rowKey(row: unknown, index: number): string {
    return this.rowId(row) ?? `#${index}`;
  }

  protected toggle(key: string, row: unknown, open: boolean): void {
    this.expanded.update((s) => {
      const next = new Set(s);
      if (open) next.add(key);
      else next.delete(key);
      return next;
    });
    this.rowExpand.emit({ row, open });
  }

  protected order(c: ListColumn): SortOrder | null {
    const s = this.list().sort();
    return s && s.key === c.key ? s.order : null;
  }

  protected rowId(row: unknown): string | null {
    const id = (row as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  }

  protected attrsOf(row: unknown): RowAttrs | null {
    return this.rowAttrs()?.(row) ?? null;
  }

  protected value(row: unknown, key: string): unknown {
    return (row as Record<string, unknown> | null)?.[key] ?? '';
  }

  /** nz-table reports page, size and sort together (also once on start: ignore what is already so). */
  protected onQuery(q: NzTableQueryParams): void {
    const list = this.list();
    const sorted = q.sort.find((s) => s.value);
    const sort: ListSort | null = sorted ? { key: sorted.key, order: sorted.value as SortOrder } : null;
    const current = list.sort();
    const sortable = new Set(this.columns().filter((c) => c.sort).map((c) => c.key));
    // A default sort on a key without a sortable column is not the table's to clear.
    const sortChanged = sortable.size > 0
      && (sort ? !current || current.key !== sort.key || current.order !== sort.order : !!current && sortable.has(current.key));
    if (q.pageSize !== list.pageSize()) list.setPageSize(q.pageSize);
    else if (sortChanged) list.setSort(sort);
    else if (q.pageIndex !== list.page()) list.setPage(q.pageIndex);
  }
}
