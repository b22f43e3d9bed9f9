import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NgTemplateOutlet } from '@angular/common';
import { RouterLink } from '@angular/router';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzPopoverModule } from 'ng-zorro-antd/popover';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzMessageService } from 'ng-zorro-antd/message';
import { MOBILE_RE, OCCUPATION_NAMES, asSubject, normaliseMobile, registerWorkerSchema, type MarketView, type WorkerView } from '@linggong/domain';
import {
  AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, compact, fieldError, setFieldError,
} from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { RegistryApi, type ImportResult, type RevealField } from './registry.api';
/** The server takes up to 5 MB of spreadsheet (R-B3 roster import). */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

interface Revealed { loading: boolean; value: string | null; failed: boolean }


/** A chosen file as base64 (without the data: URL prefix), as the import API takes it. */
function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result ?? '');
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/** The workers' roster (零工登记): masked list, search, market filter, audited reveal, registration form, roster import and export. */
@Component({
  selector: 'lg-workers',
  imports: [
    LgListPage, LgCell, NzTableModule, NgTemplateOutlet, RouterLink, FormsModule, ReactiveFormsModule, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzSelectModule, NzCheckboxModule, NzPopoverModule, NzSpinModule, NzAlertModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './workers.page.html',
  styles: [
    `.lg-worker-form { font-size: 16px; }
     .lg-worker-form nz-form-label { font-size: 16px; }
     .lg-worker-consent { font-size: 16px; padding: 12px; background: #fafafa; border: 1px solid #f0f0f0; border-radius: 4px; }
     .lg-reveal-value { font-size: 16px; font-family: monospace; }
     .lg-reveal-note { color: rgba(0, 0, 0, 0.45); font-size: 12px; margin-top: 4px; max-width: 240px; }
     .lg-import-file { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
     .lg-import-result { margin-top: 16px; }
     .lg-worker-more { padding: 8px 12px; margin-bottom: 12px; background: #fafafa; border-radius: 4px; }`,
  ],
})
export class WorkersPage {
  private readonly api = inject(RegistryApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly list = listState({
    filters: { q: '', mobile: '', marketId: null as string | null },
    // A searched mobile number stays out of the URL (lists show numbers masked).
    transient: ['mobile'],
    load: ({ filters: f, page, pageSize }) => this.api.list({ page, pageSize, q: f.q.trim(), mobile: normaliseMobile(f.mobile), marketId: f.marketId }),
  });
  protected readonly fieldError = fieldError;

  // Filters (typed) and the list

  protected readonly markets = signal<MarketView[]>([]);
  /** Markets where the user may register workers (market staff: their assigned markets). */
  protected readonly registerMarkets = computed(() => {
    this.auth.ability();
    return this.markets().filter((m) =>
      this.auth.can('create', asSubject('Worker', { marketId: m.id, tenantId: m.operatorId, regionCode: m.regionCode })),
    );
  });
  protected readonly canRegister = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'Worker');
  });

  protected readonly revealed = signal<Record<string, Revealed>>({});

  // Registration (登记零工)
  protected readonly formOpen = signal(false);
  protected readonly saving = signal(false);
  protected readonly form = this.fb.group({
    marketId: this.fb.control<string | null>(null),
    name: '',
    mobile: '',
    idNumber: '',
    occupations: this.fb.control<string[]>([]),
    gender: this.fb.control<'male' | 'female' | null>(null),
    birthYear: '',
    skills: this.fb.control<string[]>([]),
    availability: '',
    homeArea: '',
    consent: false,
    jobPush: false,
  });
  /** The optional details (R-B2: name and mobile are all that is required). */
  protected readonly moreOpen = signal(false);
  private readonly formMarket = signal<string | null>(null);
  /** The dictionary (registration accepts only its names), the market's usual occupations first. */
  protected readonly occupationOptions = computed(() => {
    const usual = (this.markets().find((m) => m.id === this.formMarket())?.occupations ?? []).filter((o) => OCCUPATION_NAMES.includes(o));
    return [...usual, ...OCCUPATION_NAMES.filter((o) => !usual.includes(o))];
  });

  // Roster import (导入名册) and export (导出)
  protected readonly importOpen = signal(false);
  protected readonly importMarket = signal<string | null>(null);
  protected readonly importFile = signal<{ name: string; content: string } | null>(null);
  protected readonly importing = signal<'check' | 'import' | null>(null);
  protected readonly importResult = signal<ImportResult | null>(null);
  protected readonly rejectedRows = computed(() => new Set(this.importResult()?.rejected.map((r) => r.row) ?? []).size);
  protected readonly templateUrl = computed(() => {
    const m = this.importMarket();
    return m ? this.api.importTemplateUrl(m) : null;
  });
  /** The export follows the filter as typed (a partial mobile number is left out rather than refused). */
  protected readonly exportUrl = computed(() => {
    const mobile = normaliseMobile(this.list.draft.mobile());
    return this.api.exportUrl({ q: this.list.draft.q().trim(), marketId: this.list.draft.marketId(), mobile: MOBILE_RE.test(mobile) ? mobile : null });
  });

  protected readonly columns: ListColumn[] = [
    { key: 'name', title: 'worker.name' },
    { key: 'mobile', title: 'worker.mobile' },
    { key: 'idNumber', title: 'worker.idNumber' },
    { key: 'occupations', title: 'worker.occupations' },
    { key: 'marketName', title: 'worker.market' },
    { key: 'createdAt', title: 'worker.registeredAt' },
  ];

  constructor() {
    this.form.controls.marketId.valueChanges.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((v) => this.formMarket.set(v));
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected canReveal(w: WorkerView): boolean {
    this.auth.ability();
    return this.auth.can('reveal', asSubject('Worker', { id: w.id, tenantId: w.tenantId, marketId: w.marketId }));
  }

  protected revealKey(w: WorkerView, field: RevealField): string {
    return `${w.id}:${field}`;
  }

  /** Opening the popover asks the server (an audited reveal) once per value per page visit. */
  protected reveal(visible: boolean, w: WorkerView, field: RevealField): void {
    const key = this.revealKey(w, field);
    const current = this.revealed()[key];
    if (!visible || (current && !current.failed)) return;
    this.revealed.update((r) => ({ ...r, [key]: { loading: true, value: null, failed: false } }));
    this.api.reveal(w.id, field).subscribe({
      next: (res) => this.revealed.update((r) => ({ ...r, [key]: { loading: false, value: res.value, failed: false } })),
      error: (e) => {
        this.revealed.update((r) => ({ ...r, [key]: { loading: false, value: null, failed: true } }));
        this.problems.handle(e);
      },
    });
  }

  protected openRegister(): void {
    const choices = this.registerMarkets();
    const preferred = choices.find((m) => m.id === this.list.filters().marketId) ?? (choices.length === 1 ? choices[0] : null);
    this.form.reset({
      marketId: preferred?.id ?? null, name: '', mobile: '', idNumber: '', occupations: [], gender: null, birthYear: '', skills: [], availability: '',
      homeArea: '', consent: false, jobPush: false,
    });
    this.moreOpen.set(false);
    this.formMarket.set(preferred?.id ?? null);
    this.formOpen.set(true);
  }

  protected submit(): void {
    const v = this.form.getRawValue();
    const body = {
      ...compact({
        name: v.name, mobile: normaliseMobile(v.mobile), idNumber: v.idNumber.replace(/\s/g, ''), gender: v.gender,
        birthYear: v.birthYear.trim() ? Number(v.birthYear.trim()) : undefined, availability: v.availability.trim(), homeArea: v.homeArea.trim(),
      }),
      occupations: v.occupations,
      skills: v.skills.map((x) => x.trim()).filter(Boolean),
      consent: v.consent,
      jobPush: v.jobPush,
    };
    if (!v.marketId) setFieldError(this.form, 'marketId', this.lang.t('worker.form.marketRequired'));
    const parsed = this.problems.validate(registerWorkerSchema, body, this.form);
    if (!parsed || !v.marketId) {
      if (parsed) this.message.warning(this.lang.t('problem.checkForm'));
      return;
    }
    this.saving.set(true);
    this.api.register(v.marketId, parsed).subscribe({
      next: (w) => {
        this.saving.set(false);
        this.formOpen.set(false);
        this.message.success(this.lang.t('worker.form.saved', { name: w.name }));
        this.list.search();
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }

  protected openImport(): void {
    const choices = this.registerMarkets();
    const preferred = choices.find((m) => m.id === this.list.filters().marketId) ?? (choices.length === 1 ? choices[0] : null);
    this.importMarket.set(preferred?.id ?? null);
    this.importFile.set(null);
    this.importResult.set(null);
    this.importOpen.set(true);
  }

  protected setImportMarket(id: string | null): void {
    this.importMarket.set(id);
    this.importResult.set(null);
  }

  protected async onImportFile(input: HTMLInputElement): Promise<void> {
    const f = input.files?.[0];
    input.value = '';
    if (!f) return;
    if (!/\.xlsx$/i.test(f.name)) {
      this.message.warning(this.lang.t('worker.import.notXlsx'));
      return;
    }
    if (f.size > MAX_IMPORT_BYTES) {
      this.message.warning(this.lang.t('worker.import.tooLarge'));
      return;
    }
    this.importResult.set(null);
    try {
      this.importFile.set({ name: f.name, content: await fileToBase64(f) });
    } catch (e) {
      this.problems.handle(e);
    }
  }

  /** 先校验 (dryRun: nothing is written) or 导入 (valid rows are registered, the others listed by row). */
  protected runImport(dryRun: boolean): void {
    const market = this.importMarket();
    const file = this.importFile();
    if (!market) {
      this.message.warning(this.lang.t('worker.form.marketRequired'));
      return;
    }
    if (!file) {
      this.message.warning(this.lang.t('worker.import.chooseFile'));
      return;
    }
    this.importing.set(dryRun ? 'check' : 'import');
    this.api.importWorkers(market, file.content, dryRun).subscribe({
      next: (r) => {
        this.importing.set(null);
        this.importResult.set(r);
        if (!dryRun && r.imported > 0) {
          this.message.success(this.lang.t('worker.import.done', { imported: r.imported }));
          this.list.search();
        }
      },
      error: (e) => {
        this.importing.set(null);
        this.problems.handle(e);
      },
    });
  }
}
