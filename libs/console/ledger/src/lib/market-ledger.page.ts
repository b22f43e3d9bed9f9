import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, computed, inject, runInInjectionContext, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { NgTemplateOutlet } from '@angular/common';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzEmptyModule } from 'ng-zorro-antd/empty';
import { NzMessageService } from 'ng-zorro-antd/message';
import { distinctUntilChanged, firstValueFrom, of, skip } from 'rxjs';
import {
  CORRECTABLE_FIELDS, LEDGER_CODE_RE, LEDGER_KINDS, LEDGER_SEARCH_CODES_MAX, MANUAL_LEDGER_KINDS, asSubject, correctionSchema, isCorrectable, manualEntrySchema,
  type ClosePreview, type LedgerDayView, type LedgerEntryView, type LedgerKind, type MarketView,
} from '@linggong/domain';
import {
  AuthService, LangService, MarketsService, PayloadText, ProblemService, ShanghaiTimePipe, compact, fieldError,
} from '@linggong/console-core';
import { listState, type ListState } from '@linggong/console-ui';
import { LedgerApi, type ExportFormat, type LedgerAlert, type LedgerRange, type LedgerVerifyResult } from './ledger.api';
import {
  BADGE_COLORS, addDays, changedFields, dateToDay, dateToShanghaiIso, dayToDate, display, fileToBase64, isDay, isLateEntry, parseLike,
  shanghaiNowAsLocal, shanghaiToday,
} from './ledger-util';

interface PayloadRow { key: string; value: string; original: unknown; isNew: boolean }
interface Attachment { name: string; hash: string; size: number }

const PAGE_SIZE = 50;
const SEARCH = '__search';

/** The search list's filters (the date range drives the day cards too); kept in the URL as `s.from`, `s.kind`, …. */
type SearchFilters = { from: string; to: string; kind: string | null; q: string };
type EntryList = ListState<Record<string, never>, LedgerEntryView>;
/** What an entry table binds to, from either list. */
type EntryTable = Pick<EntryList, 'items' | 'total' | 'page' | 'pageSize' | 'loading' | 'setPage'>;
const MAX_ATTACHMENT = 5 * 1024 * 1024;


/** A market's work log (工作日志台账): day cards newest first, entries, manual records, corrections, 日结, verification. */
@Component({
  selector: 'lg-market-ledger',
  imports: [
    NgTemplateOutlet, RouterLink, FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzCardModule, NzButtonModule, NzIconModule,
    NzTagModule, NzTableModule, NzAlertModule, NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule,
    NzDatePickerModule, NzSpinModule, NzEmptyModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './market-ledger.page.html',
  styles: [
    `.lg-ledger-toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 16px; }
     .lg-ledger-day { margin-bottom: 12px; }
     .lg-ledger-day-title { display: flex; gap: 8px; align-items: center; cursor: pointer; }
     .lg-ledger-kinds nz-tag { margin-bottom: 4px; }
     .lg-ledger-muted { color: rgba(0, 0, 0, 0.45); font-size: 12px; }
     .lg-ledger-old { text-decoration: line-through; color: rgba(0, 0, 0, 0.45); }
     .lg-ledger-problem { color: #cf1322; }
     tr.lg-ledger-hit > td { background: #fffbe6; }
     .lg-ledger-row { display: flex; gap: 8px; margin-bottom: 8px; }
     .lg-link { padding: 0 2px; height: auto; }`,
  ],
})
export class MarketLedgerPage {
  private readonly route = inject(ActivatedRoute);
  private readonly api = inject(LedgerApi);
  private readonly markets = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly payloadText = inject(PayloadText);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly host = inject(ElementRef<HTMLElement>);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);

  protected readonly kinds = LEDGER_KINDS;
  protected readonly manualKinds = MANUAL_LEDGER_KINDS;
  protected readonly colors = BADGE_COLORS;
  /** A field's label (ledger.field.*), or the key itself where none is defined. */
  protected fieldLabel(key: string): string {
    return this.payloadText.label(key);
  }
  /** An entry's payload for people: labelled fields, names for ids, Beijing times (issue 17 §4). */
  protected describe(e: LedgerEntryView, payload: Record<string, unknown>): string {
    return this.payloadText.describe(payload, e.names);
  }
  /** Who recorded an entry: a name, or the public pages and the system in words. */
  protected recorder(actorName: string | null): string {
    return this.payloadText.recorder(actorName);
  }
  protected readonly isLate = isLateEntry;
  protected readonly changed = changedFields;
  protected readonly fieldError = fieldError;

  /** The search's text, and the codes and kinds whose words hold it (typing 拖欠工资 finds the entries coded `wage_arrears`). */
  private searchTerms(text: string): { q: string; qCodes: string[]; qKinds: LedgerKind[] } {
    const { codes, kinds } = this.payloadText.searchCodes(text);
    return {
      q: text.trim(),
      qCodes: codes.filter((c) => LEDGER_CODE_RE.test(c)).slice(0, LEDGER_SEARCH_CODES_MAX),
      qKinds: kinds.filter((k): k is LedgerKind => (LEDGER_KINDS as readonly string[]).includes(k)),
    };
  }

  protected readonly marketId = signal('');
  protected readonly market = signal<MarketView | null>(null);
  /** The search list: its filters (date range, kind, text) and page live in the URL (`s.` prefix). */
  protected readonly search = listState<SearchFilters, LedgerEntryView>({
    prefix: 's',
    filters: { from: addDays(shanghaiToday(), -29), to: shanghaiToday(), kind: null, q: '' },
    pageSize: PAGE_SIZE,
    load: ({ filters, page, pageSize }) =>
      this.marketId() && this.isFiltering(filters)
        ? this.api.entries(this.marketId(), { from: filters.from, to: filters.to, kind: filters.kind as LedgerKind, ...this.searchTerms(filters.q), page, pageSize })
        : of({ items: [], total: 0, page: 1, pageSize }),
  });
  /** One entry list per day card opened, its page in the URL (`d2026-12-06.page`); created on first opening. */
  private readonly dayLists = signal<Record<string, EntryList>>({});
  protected readonly range = computed<Date[]>(() => [dayToDate(this.search.filters().from), dayToDate(this.search.filters().to)]);
  protected readonly days = signal<LedgerDayView[]>([]);
  protected readonly loadingDays = signal(false);
  protected readonly expanded = signal<Set<string>>(new Set());
  /** The filter in force (applied on search), as opposed to what is being typed. */
  protected readonly filtering = computed(() => this.isFiltering(this.search.filters()));
  protected readonly alerts = signal<LedgerAlert[]>([]);
  protected readonly verifyResult = signal<LedgerVerifyResult | null>(null);
  protected readonly verifying = signal(false);
  protected readonly highlight = signal<number | null>(null);

  private readonly subject = computed(() => {
    const m = this.market();
    return m ? asSubject('Ledger', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode }) : null;
  });
  protected readonly canCreate = computed(() => this.allowed('create'));
  protected readonly canClose = computed(() => this.allowed('close'));
  protected readonly canVerify = computed(() => this.allowed('verify'));

  protected readonly rangeValue = computed<LedgerRange | null>(() => {
    const { from, to } = this.search.filters();
    return isDay(from) && isDay(to) ? { from, to } : null;
  });

  // Manual entry (新增手工记录)
  protected readonly manualOpen = signal(false);
  protected readonly saving = signal(false);
  protected readonly uploading = signal(false);
  protected readonly attachments = signal<Attachment[]>([]);
  protected readonly manualForm = this.fb.group({
    kind: this.fb.control<string | null>('manual_patrol'),
    occurredAt: this.fb.control<Date | null>(null),
    title: '',
    note: '',
    place: '',
    participants: this.fb.control<number | null>(null),
  });

  // Correction (更正)
  protected readonly correcting = signal<LedgerEntryView | null>(null);
  protected readonly payloadRows = signal<PayloadRow[]>([]);
  protected readonly correctionForm = this.fb.group({ reason: '', payload: '' });

  // Daily close (日结)
  protected readonly closeOpen = signal(false);
  protected readonly closeDate = signal<Date | null>(null);
  protected readonly preview = signal<ClosePreview | null>(null);
  /** Why the day is closed before the market's closing time (required then, issue 17 §1). */
  protected readonly closeReason = signal('');
  /** Open work the close should warn about: hires not settled, placements not confirmed, tools out. */
  protected readonly openWorkItems = computed(() => {
    const w = this.preview()?.openWork;
    if (!w) return [];
    return (['unsettledHires', 'unconfirmedPlacements', 'toolsOut'] as const).map((key) => ({ key, n: w[key] })).filter((x) => x.n > 0);
  });
  protected readonly previewing = signal(false);
  protected readonly closing = signal(false);

  constructor() {
    this.route.paramMap.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((p) => {
      const id = p.get('id') ?? '';
      if (id === this.marketId()) return;
      this.marketId.set(id);
      this.markets.get(id).subscribe({ next: (m) => this.market.set(m), error: (e) => this.problems.handle(e) });
      this.loadAlerts();
      this.openFromQuery(this.route.snapshot.queryParamMap.get('day'));
      this.reload();
    });
    this.route.queryParamMap.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((p) => {
      const day = p.get('day');
      if (isDay(day) && !this.expanded().has(day) && this.marketId()) {
        this.openFromQuery(day);
        this.reload();
      }
    });
    // The range (from the URL) drives the day cards: whenever it differs from the one last loaded (a range
    // widened by ?day= reaches the URL after the first load). Kind and text filter the open days' entries too (page 1).
    toObservable(computed(() => JSON.stringify(this.rangeValue())))
      .pipe(distinctUntilChanged(), takeUntilDestroyed(this.destroyRef))
      .subscribe((key) => {
        if (key !== this.loadedRange) this.loadDays();
      });
    toObservable(computed(() => `${this.search.filters().kind ?? ''}|${this.search.filters().q.trim()}`))
      .pipe(skip(1), distinctUntilChanged(), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => {
        for (const d of this.expanded()) this.firstPage(this.dayList(d));
      });
  }

  private isFiltering(f: SearchFilters): boolean {
    return !!f.kind || !!f.q.trim();
  }

  /** The entry list of one day (created, and so loaded, on first use). */
  private dayList(day: string): EntryList {
    const existing = this.dayLists()[day];
    if (existing) return existing;
    const created = runInInjectionContext(this.injector, () =>
      listState<Record<string, never>, LedgerEntryView>({
        prefix: `d${day}`,
        filters: {},
        pageSize: PAGE_SIZE,
        load: ({ page, pageSize }) => {
          const f = this.search.filters();
          const on = this.isFiltering(f);
          return this.api.entries(this.marketId(), { from: day, to: day, kind: on ? (f.kind as LedgerKind) : null, ...(on ? this.searchTerms(f.q) : {}), page, pageSize });
        },
      }),
    );
    this.dayLists.update((l) => ({ ...l, [day]: created }));
    return created;
  }

  private firstPage(l: EntryList): void {
    if (l.page() === 1) l.reload();
    else l.setPage(1);
  }

  private allowed(action: 'create' | 'close' | 'verify'): boolean {
    this.auth.ability();
    const s = this.subject();
    return !!s && this.auth.can(action, s);
  }

  /** `?day=YYYY-MM-DD` (from the seals view): widen the range to include it and open that day. */
  private openFromQuery(day: string | null): void {
    if (!isDay(day)) return;
    const r = this.rangeValue();
    if (r && (day < r.from || day > r.to)) this.setRange(day < r.from ? day : r.from, day > r.to ? day : r.to, true);
    this.expanded.update((s) => new Set(s).add(day));
    this.openDay(day);
    this.scrollTo(`[data-day="${day}"]`);
  }

  protected onRange(v: Date[] | null): void {
    const from = dateToDay(v?.[0] ?? null);
    const to = dateToDay(v?.[1] ?? null);
    if (from && to) this.setRange(from, to);
  }

  /**
   * A new range applies at once; the kind and text being typed but not searched stay uncommitted.
   * `widened`: the page widened it itself (for ?day=), so the URL is replaced rather than pushed.
   */
  private setRange(from: string, to: string, widened = false): void {
    const { kind, q } = this.search.filters();
    this.search.draft.kind.set(kind);
    this.search.draft.q.set(q);
    this.search.set({ from, to }, { replaceUrl: widened });
  }

  /** Days and the entries shown, again (after a change, or the reload button). */
  protected reload(): void {
    this.loadDays();
    for (const d of this.expanded()) this.openDay(d);
    if (this.filtering()) this.search.reload();
  }

  /** The range whose days were last asked for (a late answer for another range is dropped). */
  private loadedRange = '';

  private loadDays(): void {
    const range = this.rangeValue();
    if (!range || !this.marketId()) return;
    const key = JSON.stringify(range);
    this.loadedRange = key;
    this.loadingDays.set(true);
    this.api.days(this.marketId(), range).subscribe({
      next: (days) => {
        if (key !== this.loadedRange) return;
        this.days.set(days);
        this.loadingDays.set(false);
      },
      error: (e) => {
        this.loadingDays.set(false);
        this.problems.handle(e);
      },
    });
  }

  private loadAlerts(): void {
    this.api.alerts().subscribe({
      next: (all) => this.alerts.set(all.filter((a) => a.marketId === this.marketId())),
      error: () => this.alerts.set([]),
    });
  }

  /** The entry table of a day card (once opened), or of the search results (`__search`). */
  protected list(key: string): EntryTable | undefined {
    return key === SEARCH ? this.search : this.dayLists()[key];
  }

  /** Open a day's entries: a new list loads its page from the URL, an existing one loads again. */
  private openDay(day: string): void {
    const existing = this.dayLists()[day];
    if (existing) existing.reload();
    else this.dayList(day);
  }

  protected toggle(day: string): void {
    const open = !this.expanded().has(day);
    this.expanded.update((s) => {
      const next = new Set(s);
      if (open) next.add(day);
      else next.delete(day);
      return next;
    });
    if (open) this.openDay(day);
  }

  /** Reset keeps the date range: only the kind and the text are cleared. */
  protected resetFilter(): void {
    this.search.set({ kind: null, q: '' });
  }

  protected kindTotals(d: LedgerDayView): { kind: string; count: number }[] {
    return Object.entries(d.byKind ?? {})
      .filter(([, n]) => n > 0)
      .map(([kind, count]) => ({ kind, count }))
      .sort((a, b) => b.count - a.count);
  }

  /** The link from a correction to the entry it corrects: open the day that holds that seq. */
  protected goToSeq(seq: number): void {
    const day = this.days().find((d) => d.firstSeq !== null && d.lastSeq !== null && d.firstSeq <= seq && seq <= d.lastSeq);
    this.highlight.set(seq);
    if (day && !this.expanded().has(day.businessDay)) this.toggle(day.businessDay);
    else if (!day) {
      this.message.info(this.lang.t('ledger.seqOutOfRange', { seq }));
      return;
    }
    this.scrollTo(`#ledger-seq-${seq}`);
  }

  private scrollTo(selector: string, tries = 20): void {
    setTimeout(() => {
      const el = (this.host.nativeElement as HTMLElement).querySelector(selector);
      if (el) el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      else if (tries > 0) this.scrollTo(selector, tries - 1);
    }, 150);
  }

  protected attachmentUrl(hash: string): string {
    return this.api.attachmentUrl(hash);
  }
  protected exportUrl(format: ExportFormat): string | null {
    const r = this.rangeValue();
    return r ? this.api.exportUrl(this.marketId(), r, format) : null;
  }
  protected receiptsUrl(): string | null {
    const r = this.rangeValue();
    return r ? this.api.receiptsUrl(this.marketId(), r) : null;
  }
  protected exportName(format: ExportFormat): string {
    const r = this.rangeValue();
    return `ledger-${this.market()?.name ?? this.marketId()}-${r?.from ?? ''}-${r?.to ?? ''}.${format}`;
  }

  // —— 校验 ——
  protected verify(): void {
    const range = this.rangeValue();
    if (!range) return;
    this.verifying.set(true);
    this.api.verify(this.marketId(), range).subscribe({
      next: (r) => {
        this.verifyResult.set(r);
        this.verifying.set(false);
        this.reload();
        this.loadAlerts();
      },
      error: (e) => {
        this.verifying.set(false);
        this.problems.handle(e);
      },
    });
  }
  protected problemText(p: unknown): string {
    if (typeof p === 'string') return p;
    if (p && typeof p === 'object') {
      const o = p as Record<string, unknown>;
      const head = [o['seq'] !== undefined ? `#${display(o['seq'])}` : '', display(o['businessDay']), display(o['code'])].filter(Boolean).join(' ');
      return [head, display(o['detail'] ?? o['message'] ?? '')].filter(Boolean).join('：') || JSON.stringify(p);
    }
    return display(p);
  }

  // —— 新增手工记录 ——
  protected openManual(): void {
    this.manualForm.reset({ kind: 'manual_patrol', occurredAt: shanghaiNowAsLocal(), title: '', note: '', place: '', participants: null });
    this.attachments.set([]);
    this.manualOpen.set(true);
  }

  protected async onFiles(input: HTMLInputElement): Promise<void> {
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (!files.length) return;
    this.uploading.set(true);
    try {
      for (const f of files) {
        if (f.size > MAX_ATTACHMENT) {
          this.message.warning(this.lang.t('ledger.manual.tooLarge', { name: f.name }));
          continue;
        }
        const content = await fileToBase64(f);
        const r = await firstValueFrom(this.api.uploadAttachment(f.name, f.type || 'application/octet-stream', content));
        this.attachments.update((a) => (a.some((x) => x.hash === r.hash) ? a : [...a, { name: f.name, hash: r.hash, size: r.size }]));
      }
    } catch (e) {
      this.problems.handle(e);
    } finally {
      this.uploading.set(false);
    }
  }
  protected removeAttachment(hash: string): void {
    this.attachments.update((a) => a.filter((x) => x.hash !== hash));
  }

  protected submitManual(): void {
    const v = this.manualForm.getRawValue();
    const body = {
      ...compact({ kind: v.kind, title: v.title, note: v.note, place: v.place, participants: v.participants }),
      occurredAt: v.occurredAt ? dateToShanghaiIso(v.occurredAt) : undefined,
      attachments: this.attachments().map((a) => a.hash),
    };
    const parsed = this.problems.validate(manualEntrySchema, body, this.manualForm);
    if (!parsed) return;
    this.saving.set(true);
    this.api.addManual(this.marketId(), parsed).subscribe({
      next: (e) => {
        this.saving.set(false);
        this.manualOpen.set(false);
        this.message.success(this.lang.t('ledger.manual.saved', { seq: e.seq }));
        this.expanded.update((s) => new Set(s).add(e.businessDay));
        this.reload();
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.manualForm);
      },
    });
  }

  // —— 更正 ——
  protected openCorrection(e: LedgerEntryView): void {
    this.correctionForm.reset({ reason: '', payload: '' });
    const src = e.effectivePayload ?? e.payload ?? {};
    // Only the fields a correction of this kind may change (CORRECTABLE_FIELDS, issue 12 finding 6).
    const keys = isCorrectable(e.kind) ? Object.keys(CORRECTABLE_FIELDS[e.kind]) : [];
    this.payloadRows.set(keys.map((key) => ({ key, original: src[key], value: display(src[key]), isNew: false })));
    this.correcting.set(e);
  }
  protected correctable(kind: string): boolean {
    return isCorrectable(kind);
  }
  protected removeRow(i: number): void {
    this.payloadRows.update((r) => r.filter((_, j) => j !== i));
  }
  protected submitCorrection(): void {
    const e = this.correcting();
    if (!e) return;
    const payload: Record<string, unknown> = {};
    for (const row of this.payloadRows()) {
      const key = row.key.trim();
      if (!key) continue;
      const value = row.original === undefined ? asField(e.kind, key, row.value) : parseLike(row.original, row.value);
      if (row.isNew || display(value) !== display(row.original)) payload[key] = value;
    }
    if (!Object.keys(payload).length) {
      this.correctionForm.controls.payload.setErrors({ lg: this.lang.t('ledger.correction.nothingChanged') });
      this.correctionForm.controls.payload.markAsDirty();
      this.message.warning(this.lang.t('ledger.correction.nothingChanged'));
      return;
    }
    const parsed = this.problems.validate(correctionSchema, { reason: this.correctionForm.controls.reason.value, payload }, this.correctionForm);
    if (!parsed) return;
    this.saving.set(true);
    this.api.correct(this.marketId(), e.seq, parsed).subscribe({
      next: (c) => {
        this.saving.set(false);
        this.correcting.set(null);
        this.message.success(this.lang.t('ledger.correction.saved', { seq: c.seq }));
        this.expanded.update((s) => new Set(s).add(c.businessDay));
        this.reload();
      },
      error: (err) => {
        this.saving.set(false);
        this.problems.handle(err, this.correctionForm);
      },
    });
  }

  // —— 日结 ——
  protected openClose(day?: string): void {
    this.closeDate.set(dayToDate(day ?? shanghaiToday()));
    this.preview.set(null);
    this.closeReason.set('');
    this.closeOpen.set(true);
    this.loadPreview();
  }
  protected onCloseDate(d: Date | null): void {
    this.closeDate.set(d);
    this.loadPreview();
  }
  private loadPreview(): void {
    const day = dateToDay(this.closeDate());
    this.preview.set(null);
    if (!day) return;
    this.previewing.set(true);
    this.api.closePreview(this.marketId(), day).subscribe({
      next: (p) => {
        if (dateToDay(this.closeDate()) === day) this.preview.set(p);
        this.previewing.set(false);
      },
      error: (e) => {
        this.previewing.set(false);
        this.problems.handle(e);
      },
    });
  }
  protected confirmClose(): void {
    const day = dateToDay(this.closeDate());
    if (!day) return;
    this.closing.set(true);
    this.api.close(this.marketId(), day, this.preview()?.early ? this.closeReason().trim() : undefined).subscribe({
      next: (sealed) => {
        this.closing.set(false);
        this.closeOpen.set(false);
        this.message.success(this.lang.t('ledger.close.done', { n: sealed.length }));
        this.reload();
      },
      error: (e) => {
        this.closing.set(false);
        this.problems.handle(e);
      },
    });
  }
}

/** A value typed for a field the entry did not have yet: a number where the kind's field takes one. */
function asField(kind: string, key: string, text: string): unknown {
  const t = text.trim();
  const schema = isCorrectable(kind) ? (CORRECTABLE_FIELDS[kind] as Record<string, { safeParse(v: unknown): { success: boolean } }>)[key] : undefined;
  return t !== '' && Number.isFinite(Number(t)) && schema?.safeParse(Number(t)).success ? Number(t) : t;
}
