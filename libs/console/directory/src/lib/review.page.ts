import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzMessageService } from 'ng-zorro-antd/message';
import { LISTING_STATUSES, asSubject, type ListingView, type VersionDiff, type VersionView } from '@linggong/domain';
import { AuthService, ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { DirectoryApi } from './directory.api';

/**
 * 零工市场名录 (issue 14 §1; R-E1): the province's versions; a version's listings with the county's confirm and
 * send-back, the operator's resubmission of a listing sent back, the city's compilation, the province's
 * freeze, publication, diff with the version before and the yearly report to the ministry. What a user sees
 * of each action is the same CASL rule the API enforces.
 */
@Component({
  selector: 'lg-directory-review',
  imports: [
    LgListPage, LgCell, FormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule, NzModalModule, NzInputModule,
    NzInputNumberModule, NzSelectModule, NzCardModule, NzDescriptionsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './review.page.html',
  styles: ['.lg-dir-cities { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; } .lg-dir-diff li { margin-bottom: 4px; } .lg-dir-field { display: block; margin-bottom: 12px; } .lg-dir-field > span { display: block; margin-bottom: 4px; }'],
})
export class DirectoryReviewPage {
  private readonly api = inject(DirectoryApi);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);

  protected readonly statuses = LISTING_STATUSES;
  protected readonly versions = signal<VersionView[]>([]);
  protected readonly list = listState({
    filters: { versionId: null as string | null, status: null as string | null, q: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.listings({ page, pageSize, versionId: filters.versionId ?? this.versions()[0]?.id ?? null, status: filters.status, q: filters.q }),
  });
  protected readonly current = computed(() => {
    const id = this.list.draft.versionId() ?? this.versions()[0]?.id;
    return this.versions().find((v) => v.id === id) ?? null;
  });
  protected readonly previous = computed(() => {
    const v = this.current();
    return v ? this.versions().find((x) => x.provinceCode === v.provinceCode && x.seq < v.seq) ?? null : null;
  });
  protected readonly columns: ListColumn[] = [
    { key: 'name', title: 'directory.name', width: '220px' },
    { key: 'nature', title: 'directory.nature', className: 'lg-nowrap' },
    { key: 'place', title: 'directory.address', width: '220px' },
    { key: 'hours', title: 'directory.hours' },
    { key: 'figures', title: 'directory.figures', testId: 'listing-figures' },
    { key: 'status', title: 'directory.status', className: 'lg-nowrap' },
    { key: 'actions', title: 'common.actions', className: 'lg-nowrap' },
  ];
  protected readonly dialog = signal<'return' | 'point' | 'diff' | null>(null);
  protected readonly target = signal<ListingView | null>(null);
  protected readonly reason = signal('');
  protected readonly diff = signal<VersionDiff | null>(null);
  protected readonly saving = signal(false);
  protected readonly point = signal({ name: '', nature: 'spontaneous', address: '', openingHours: '', occupations: '', seekerScale: null as number | null, dailyHires: null as number | null, mainOccupations: '' });

  /** Which of the chain's buttons this user has (the same rules as the API's). */
  protected readonly canFreeze = computed(() => { this.auth.ability(); return this.auth.can('publish', 'Directory'); });
  protected readonly canCompile = computed(() => { this.auth.ability(); return this.auth.can('compile', 'Directory'); });
  protected readonly canAddPoint = computed(() => { this.auth.ability(); return this.auth.can('create', 'Directory'); });

  constructor() {
    this.loadVersions();
    // The first load picks the newest version; later loads keep the chosen one.
    effect(() => {
      this.versions();
      untracked(() => this.list.reload());
    });
  }

  private loadVersions(select?: string): void {
    this.api.versions().subscribe({
      next: (p) => {
        this.versions.set(p.items);
        if (select) this.list.set({ versionId: select });
      },
      error: (e) => this.problems.handle(e),
    });
  }

  protected can(action: 'verify' | 'operate', l: ListingView): boolean {
    this.auth.ability();
    return this.auth.can(action, asSubject('Directory', { tenantId: l.operatorId, regionCode: l.regionCode }));
  }

  protected myCity(v: VersionView) {
    const prefix = this.auth.me()?.regionPrefix ?? '';
    return v.cities.find((c) => c.cityCode === prefix.slice(0, 4)) ?? null;
  }

  private done(msgKey: string, reloadVersions = true): void {
    this.saving.set(false);
    this.dialog.set(null);
    this.message.success(msgKey);
    if (reloadVersions) this.loadVersions();
    else this.list.reload();
  }

  protected confirm(l: ListingView): void {
    this.api.confirm(l.id).subscribe({ next: () => this.done('✓'), error: (e) => this.problems.handle(e) });
  }
  protected openReturn(l: ListingView): void {
    this.target.set(l);
    this.reason.set('');
    this.dialog.set('return');
  }
  protected submitReturn(): void {
    const l = this.target();
    if (!l) return;
    this.saving.set(true);
    this.api.sendBack(l.id, this.reason()).subscribe({ next: () => this.done('✓'), error: (e) => { this.saving.set(false); this.problems.handle(e); } });
  }
  protected resubmit(l: ListingView): void {
    this.api.resubmit(l.id).subscribe({ next: () => this.done('✓'), error: (e) => this.problems.handle(e) });
  }
  protected freeze(): void {
    this.api.freeze().subscribe({ next: (v) => { this.message.success('✓'); this.loadVersions(v.id); }, error: (e) => this.problems.handle(e) });
  }
  protected compile(v: VersionView): void {
    this.api.compile(v.id).subscribe({ next: () => this.done('✓'), error: (e) => this.problems.handle(e) });
  }
  protected publish(v: VersionView): void {
    this.api.publish(v.id).subscribe({ next: () => this.done('✓'), error: (e) => this.problems.handle(e) });
  }
  protected openDiff(v: VersionView, from: VersionView): void {
    this.diff.set(null);
    this.dialog.set('diff');
    this.api.diff(v.id, from.id).subscribe({ next: (d) => this.diff.set(d), error: (e) => this.problems.handle(e) });
  }
  protected download(v: VersionView): void {
    const year = Number(v.quarter.slice(0, 4));
    this.api.ministryReport(year).subscribe({
      next: (blob) => {
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = `零工市场名录-${year}.xlsx`;
        a.click();
        URL.revokeObjectURL(a.href);
      },
      error: (e) => this.problems.handle(e),
    });
  }
  protected patchPoint(k: string, v: unknown): void {
    this.point.update((p) => ({ ...p, [k]: v }));
  }
  protected submitPoint(): void {
    const p = this.point();
    const words = (s: string) => s.split(/[,，、\s]+/).filter(Boolean);
    this.saving.set(true);
    this.api.createPoint({
      regionCode: this.auth.me()?.regionPrefix ?? '', name: p.name, nature: p.nature as 'spontaneous', address: p.address, openingHours: p.openingHours || undefined,
      occupations: words(p.occupations), seekerScale: p.seekerScale ?? undefined, dailyHires: p.dailyHires ?? undefined, mainOccupations: words(p.mainOccupations),
    }).subscribe({ next: () => this.done('✓', false), error: (e) => { this.saving.set(false); this.problems.handle(e); } });
  }
}
