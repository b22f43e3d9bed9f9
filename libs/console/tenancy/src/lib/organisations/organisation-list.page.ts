import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzTableModule, type NzTableQueryParams } from 'ng-zorro-antd/table';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzPopconfirmModule } from 'ng-zorro-antd/popconfirm';
import { NzDividerModule } from 'ng-zorro-antd/divider';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { NzModalModule, NzModalService } from 'ng-zorro-antd/modal';
import { NzMessageService } from 'ng-zorro-antd/message';
import { ORG_KINDS, asSubject, type OrgKind, type OrganisationView } from '@linggong/domain';
import {
  AuthService, CanPipe, LangService, OrganisationsService, ProblemService, ShanghaiTimePipe
} from '@linggong/console-core';
import { RegionCascader } from '@linggong/console-ui';
import { OrganisationForm } from './organisation-form';

@Component({
  selector: 'lg-organisation-list',
  imports: [
    NzModalModule, ReactiveFormsModule, TranslocoPipe, CanPipe, ShanghaiTimePipe, RegionCascader, NzTableModule, NzFormModule,
    NzInputModule, NzSelectModule, NzButtonModule, NzIconModule, NzTagModule, NzCardModule, NzPopconfirmModule, NzDividerModule, NzTooltipModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './organisation-list.page.html',
})
export class OrganisationListPage {
  private readonly orgs = inject(OrganisationsService);
  private readonly problems = inject(ProblemService);
  private readonly modal = inject(NzModalService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly auth = inject(AuthService);
  protected readonly kinds = ORG_KINDS;
  protected readonly rows = signal<OrganisationView[]>([]);
  protected readonly total = signal(0);
  protected readonly page = signal(1);
  protected readonly pageSize = signal(20);
  protected readonly loading = signal(false);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly filters = this.fb.group({
    q: '',
    kind: this.fb.control<OrgKind | null>(null),
    regionCode: this.fb.control<string | null>(null),
  });

  constructor() {
    this.load();
  }

  /** Full numbers the user chose to reveal (each reveal is an audit event on the server). */
  protected readonly revealed = signal<Record<string, string | null | undefined>>({});

  protected canReveal(o: OrganisationView): boolean {
    return this.auth.can('reveal', asSubject('Organisation', { id: o.id, regionCode: o.regionCode }));
  }

  protected reveal(o: OrganisationView): void {
    this.orgs.revealContact(o.id).subscribe({
      next: (r) => this.revealed.update((m) => ({ ...m, [o.id]: r.contactPhone })),
      error: (e) => this.problems.handle(e),
    });
  }

  protected canUpdate(o: OrganisationView): boolean {
    return this.auth.can('update', asSubject('Organisation', { id: o.id, regionCode: o.regionCode }));
  }

  protected search(): void {
    this.page.set(1);
    this.load();
  }

  protected reset(): void {
    this.filters.reset();
    this.search();
  }

  protected onQueryParams(p: NzTableQueryParams): void {
    if (p.pageIndex === this.page() && p.pageSize === this.pageSize()) return;
    this.page.set(p.pageIndex);
    this.pageSize.set(p.pageSize);
    this.load();
  }

  protected open(org: OrganisationView | null): void {
    this.modal
      .create({
        nzTitle: this.lang.t(org ? 'org.edit' : 'org.create'),
        nzContent: OrganisationForm,
        nzData: org,
        nzFooter: null,
        nzWidth: 560,
      })
      .afterClose.subscribe((saved) => {
        if (saved) {
          this.message.success(this.lang.t('common.saved'));
          this.load();
        }
      });
  }

  /** R-F1: an exited operator keeps its data, read-only. */
  protected setStatus(org: OrganisationView, status: 'active' | 'exited'): void {
    this.orgs.update(org.id, { status }).subscribe({
      next: () => {
        this.message.success(this.lang.t('common.saved'));
        this.load();
      },
      error: (e) => this.problems.handle(e),
    });
  }

  private load(): void {
    this.loading.set(true);
    this.orgs.list({ ...this.filters.getRawValue(), page: this.page(), pageSize: this.pageSize() }).subscribe({
      next: (p) => {
        this.rows.set(p.items);
        this.total.set(p.total);
        this.loading.set(false);
      },
      error: (e) => {
        this.loading.set(false);
        this.problems.handle(e);
      },
    });
  }
}
