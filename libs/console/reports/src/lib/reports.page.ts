import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzMessageService } from 'ng-zorro-antd/message';
import { industryName, type ReportBoard, type ReportView, type WageRow } from '@linggong/domain';
import { AuthService, LangService, ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { ReportsApi } from './reports.api';
import { ReportBarChart } from './bar.chart';

const monthOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
const lastMonths = (n: number) => Array.from({ length: n }, (_, i) => { const d = new Date(); d.setDate(1); d.setMonth(d.getMonth() - i); return monthOf(d); });

/**
 * 供求分析 (issue 14 §3–4): a county or city analyst drafts the month's report from the rollups, writes
 * the analysis and countermeasures and submits it (a city after its counties, their narratives attached);
 * the province accepts or returns it and watches the board (expected, submitted, on time, late, returned).
 */
@Component({
  selector: 'lg-reports',
  imports: [
    FormsModule, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzCardModule, NzTagModule, NzTableModule, NzSelectModule, NzInputModule,
    NzAlertModule, NzDescriptionsModule, ReportBarChart,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './reports.page.html',
  styles: [`.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
    .toolbar { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin-bottom: 16px; }
    .mono { font-family: monospace; word-break: break-all; font-size: 12px; }
    nz-card { margin-bottom: 16px; } textarea { width: 100%; }`],
})
export class ReportsPage {
  private readonly api = inject(ReportsApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  protected readonly lang = inject(LangService);

  protected readonly months = lastMonths(13);
  /** `?month=YYYY-MM` (a link from a reminder, the browser spec), else the last complete month. */
  protected readonly month = signal(((m) => (m && this.months.includes(m) ? m : this.months[1]))(inject(ActivatedRoute).snapshot.queryParamMap.get('month')));
  protected readonly reports = signal<ReportView[]>([]);
  protected readonly current = signal<ReportView | null>(null);
  protected readonly board = signal<ReportBoard | null>(null);
  protected readonly reminders = signal<{ month: string; kind: string; day: string }[]>([]);
  protected readonly busy = signal(false);
  protected analysis = '';
  protected measures = '';
  protected returnReason = '';

  protected readonly canCreate = computed(() => { this.auth.ability(); return this.auth.can('create', 'SupplyDemandReport'); });
  protected readonly canVerify = computed(() => { this.auth.ability(); return this.auth.can('verify', 'SupplyDemandReport'); });
  protected readonly showBoard = computed(() => ['province', 'platform'].includes(this.auth.me()?.org.kind ?? ''));
  /** The open report is the caller's own (its level writes it). */
  protected readonly own = computed(() => {
    const r = this.current();
    const me = this.auth.me();
    return !!r && !!me && r.regionCode === me.regionPrefix && this.canCreate();
  });
  protected readonly industryName = (code: string) => (code ? `${code} ${industryName(code, this.lang.lang())}` : this.lang.t('report.unrecorded'));

  protected readonly charts = computed(() => {
    const f = this.current()?.figures;
    if (!f) return null;
    const occ = f.byOccupation.slice(0, 12);
    return {
      industry: { categories: f.demandByIndustry.map((r) => this.industryName(r.key).slice(0, 7)), series: [{ name: this.lang.t('report.demand'), data: f.demandByIndustry.map((r) => r.value) }] },
      occupation: {
        categories: occ.map((r) => r.key),
        series: [{ name: this.lang.t('report.demand'), data: occ.map((r) => r.demand) }, { name: this.lang.t('report.seekers'), data: occ.map((r) => r.seekers) }],
      },
      county: {
        categories: f.byCounty.map((c) => c.name.replace(/^.*?(市|省)/, '')),
        series: [{ name: this.lang.t('report.demand'), data: f.byCounty.map((c) => c.demand) }, { name: this.lang.t('report.seekers'), data: f.byCounty.map((c) => c.seekers) }],
      },
    };
  });

  constructor() {
    this.load();
    this.api.reminders().subscribe({ next: (r) => this.reminders.set(r), error: () => undefined });
  }

  protected load() {
    this.api.list({ month: this.month() }).subscribe({ next: (r) => this.reports.set(r), error: (e) => this.problems.handle(e) });
    if (this.showBoard()) {
      const i = this.months.indexOf(this.month());
      // The month and the three before it (a quarter back: late and returned reports stay in view).
      const from = this.months[Math.min(this.months.length - 1, i + 3)];
      this.api.board(from, this.month()).subscribe({ next: (b) => this.board.set(b), error: (e) => this.problems.handle(e) });
    }
  }
  protected pickMonth(m: string) {
    this.month.set(m);
    this.current.set(null);
    this.load();
  }
  protected open(id: string) {
    this.api.get(id).subscribe({ next: (r) => this.show(r), error: (e) => this.problems.handle(e) });
  }
  private show(r: ReportView) {
    this.current.set(r);
    this.analysis = r.analysis ?? '';
    this.measures = r.measures ?? '';
    this.returnReason = '';
  }
  private act(req: ReturnType<ReportsApi['get']>, done: string) {
    this.busy.set(true);
    req.subscribe({
      next: (r) => { this.busy.set(false); this.show(r); this.message.success(this.lang.t(done)); this.load(); },
      error: (e) => { this.busy.set(false); this.problems.handle(e); },
    });
  }
  protected create() { this.act(this.api.create(this.month()), 'report.created'); }
  protected refresh(r: ReportView) { this.act(this.api.refresh(r.id), 'report.refreshed'); }
  protected save(r: ReportView) { this.act(this.api.narrative(r.id, { analysis: this.analysis, measures: this.measures }), 'report.saved'); }
  protected submit(r: ReportView) { this.act(this.api.submit(r.id), 'report.submitted'); }
  protected accept(r: ReportView) { this.act(this.api.review(r.id, { decision: 'accepted' }), 'report.accepted'); }
  protected giveBack(r: ReportView) { this.act(this.api.review(r.id, { decision: 'returned', reason: this.returnReason }), 'report.returned'); }

  protected yuan(fen: number | null) { return fen === null ? '—' : (fen / 100).toFixed(2); }
  protected statusColor(s: string) { return s === 'accepted' ? 'green' : s === 'submitted' ? 'blue' : s === 'returned' ? 'red' : s === 'missing' ? 'default' : 'orange'; }
  protected wageRows(rows: WageRow[], n = 15) { return rows.slice(0, n); }
}
