import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { NzModalModule, NzModalService } from 'ng-zorro-antd/modal';
import { NzMessageService } from 'ng-zorro-antd/message';
import { ORG_KINDS, asSubject, type OrgKind, type OrganisationView } from '@linggong/domain';
import {
  AuthService, CanPipe, LangService, OrganisationsService, ProblemService, ShanghaiTimePipe
} from '@linggong/console-core';
import { LgCell, LgListPage, RegionCascader, listState, type ListColumn } from '@linggong/console-ui';
import { OrganisationForm } from './organisation-form';

@Component({
  selector: 'lg-organisation-list',
  imports: [
    NzModalModule, FormsModule, TranslocoPipe, CanPipe, ShanghaiTimePipe, RegionCascader, LgListPage, LgCell,
    NzInputModule, NzSelectModule, NzButtonModule, NzIconModule, NzTagModule, NzTooltipModule,
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
  protected readonly list = listState({
    filters: { q: '', kind: null as OrgKind | null, regionCode: null as string | null },
    load: (query) => this.orgs.list({ ...query.filters, page: query.page, pageSize: query.pageSize }),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'name', title: 'org.name' },
    { key: 'kind', title: 'org.kind' },
    { key: 'region', title: 'org.region' },
    { key: 'contact', title: 'org.contact' },
    { key: 'marketCount', title: 'home.marketCount' },
    { key: 'status', title: 'common.status' },
    { key: 'createdAt', title: 'common.createdAt' },
    { key: 'actions', title: 'common.actions' },
  ];

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
          this.list.reload();
        }
      });
  }
}
