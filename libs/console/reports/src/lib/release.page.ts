import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import type { ReleaseView } from '@linggong/domain';
import { LangService } from '@linggong/console-core';
import { ReportsApi } from './reports.api';

/**
 * 零工市场供求信息发布 (R-E4; 001 四 "按月公布本地零工市场主要行业平均用工价格、求人倍率"): the months a
 * province has accepted, no sign-in, phone-first; the same figures as open data (CSV, JSON) at stable URLs.
 */
@Component({
  selector: 'lg-release',
  imports: [TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="page">
      <h1>{{ 'release.title' | transloco }}</h1>
      <p>{{ 'release.intro' | transloco }}</p>
      @if (!list().length) { <p data-testid="release-empty">{{ 'release.none' | transloco }}</p> }
      <nav class="months">
        @for (r of list(); track r.provinceCode + r.month) {
          <button type="button" (click)="open(r.provinceCode, r.month)" [class.on]="current()?.month === r.month && current()?.provinceCode === r.provinceCode">{{ r.provinceName }} {{ r.month }}</button>
        }
      </nav>
      @if (current(); as c) {
        <section data-testid="release-detail">
          <h2>{{ c.provinceName }} {{ c.month }}</h2>
          <p>{{ 'release.totals' | transloco: { demand: c.totals.demand, seekers: c.totals.seekers, ratio: c.totals.ratio ?? '—' } }}</p>
          <h3>{{ 'release.byIndustry' | transloco }}</h3>
          <table><thead><tr><th>{{ 'release.industry' | transloco }}</th><th>{{ 'release.demand' | transloco }}</th><th>{{ 'release.ratio' | transloco }}</th></tr></thead>
            <tbody>@for (x of c.ratioByIndustry; track x.code) { <tr><td>{{ x.code }} {{ x.name }}</td><td>{{ x.demand }}</td><td>{{ x.ratio ?? '—' }}</td></tr> }</tbody></table>
          <h3>{{ 'release.byOccupation' | transloco }}</h3>
          <table><thead><tr><th>{{ 'release.occupation' | transloco }}</th><th>{{ 'release.demand' | transloco }}</th><th>{{ 'release.seekers' | transloco }}</th><th>{{ 'release.ratio' | transloco }}</th></tr></thead>
            <tbody>@for (x of c.ratioByOccupation; track x.occupation) { <tr><td>{{ x.occupation }}</td><td>{{ x.demand }}</td><td>{{ x.seekers }}</td><td>{{ x.ratio ?? '—' }}</td></tr> }</tbody></table>
          <h3>{{ 'release.wages' | transloco }}</h3>
          <table><thead><tr><th>{{ 'release.industry' | transloco }}</th><th>{{ 'release.posts' | transloco }}</th><th>{{ 'release.avgWage' | transloco }}</th></tr></thead>
            <tbody>@for (x of c.wageByIndustry; track x.code) { <tr><td>{{ x.code }} {{ x.name }}</td><td>{{ x.posts }}</td><td>{{ x.averageDayWageFen === null ? '—' : (x.averageDayWageFen / 100).toFixed(2) }}</td></tr> }</tbody></table>
          <p class="data">{{ 'release.openData' | transloco }}
            <a [href]="'/api/v1/public/releases/' + c.provinceCode + '/' + c.month + '/release.csv'">CSV</a> ·
            <a [href]="'/api/v1/public/releases/' + c.provinceCode + '/' + c.month + '/release.json'">JSON</a></p>
          <p class="digest">SM3 {{ c.digest }}</p>
        </section>
      }
    </main>`,
  styles: [`.page { max-width: 960px; margin: 0 auto; padding: 16px; font-size: 17px; line-height: 1.6; color: #1f1f1f; }
    h1 { font-size: 24px; } table { width: 100%; border-collapse: collapse; margin-bottom: 16px; }
    th, td { border-bottom: 1px solid #d9d9d9; padding: 6px 4px; text-align: left; }
    .months { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
    .months button { font-size: 16px; padding: 8px 12px; border: 1px solid #1677ff; background: #fff; color: #0958d9; border-radius: 6px; }
    .months button.on { background: #0958d9; color: #fff; } .digest { font-family: monospace; font-size: 12px; word-break: break-all; color: #595959; }
    a { color: #0958d9; }`],
})
export class ReleasePage {
  private readonly api = inject(ReportsApi);
  protected readonly lang = inject(LangService);
  protected readonly list = signal<ReleaseView[]>([]);
  protected readonly current = signal<ReleaseView | null>(null);
  constructor() {
    this.api.releases().subscribe({ next: (l) => { this.list.set(l); if (l[0]) this.open(l[0].provinceCode, l[0].month); } });
  }
  protected open(province: string, month: string) {
    this.api.release(province, month).subscribe({ next: (r) => this.current.set(r) });
  }
}
