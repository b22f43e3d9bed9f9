import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzPopconfirmModule } from 'ng-zorro-antd/popconfirm';
import { NzDividerModule } from 'ng-zorro-antd/divider';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { NzModalModule, NzModalService } from 'ng-zorro-antd/modal';
import { NzMessageService } from 'ng-zorro-antd/message';
import { ROLES, asSubject, type Role, type UserView } from '@linggong/domain';
import {
  AuthService, CanPipe, LangService, ProblemService, ShanghaiTimePipe, UsersService,
} from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { UserForm } from './user-form';

@Component({
  selector: 'lg-user-list',
  imports: [
    NzModalModule, FormsModule, TranslocoPipe, CanPipe, ShanghaiTimePipe, LgListPage, LgCell, NzInputModule,
    NzSelectModule, NzButtonModule, NzIconModule, NzTagModule, NzPopconfirmModule, NzDividerModule, NzTooltipModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './user-list.page.html',
})
export class UserListPage {
  private readonly users = inject(UsersService);
  private readonly problems = inject(ProblemService);
  private readonly modal = inject(NzModalService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly auth = inject(AuthService);
  protected readonly roles = ROLES;
  protected readonly list = listState({
    filters: { q: '', role: null as Role | null },
    load: (query) => this.users.list({ ...query.filters, page: query.page, pageSize: query.pageSize }),
  });
  protected readonly columns: ListColumn[] = [
    { key: 'username', title: 'userAdmin.username' },
    { key: 'displayName', title: 'userAdmin.displayName' },
    { key: 'orgName', title: 'userAdmin.org' },
    { key: 'roles', title: 'userAdmin.roles' },
    { key: 'phone', title: 'userAdmin.phone' },
    { key: 'status', title: 'common.status' },
    { key: 'lastLogin', title: 'userAdmin.lastLogin' },
    { key: 'actions', title: 'common.actions' },
  ];
  /** Full numbers the user chose to reveal (each reveal is an audit event on the server). */
  protected readonly revealed = signal<Record<string, string | undefined>>({});

  private subject(u: UserView) {
    return asSubject('User', { id: u.id, tenantId: u.tenantId, orgId: u.orgId });
  }
  protected can(action: 'update' | 'reveal' | 'unlock', u: UserView): boolean {
    return this.auth.can(action, this.subject(u));
  }
  protected locked(u: UserView): boolean {
    return !!u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now();
  }

  protected open(user: UserView | null): void {
    this.modal
      .create({ nzTitle: this.lang.t(user ? 'userAdmin.edit' : 'userAdmin.create'), nzContent: UserForm, nzData: user, nzFooter: null, nzWidth: 560 })
      .afterClose.subscribe((saved) => {
        if (saved) {
          this.message.success(this.lang.t('common.saved'));
          this.list.reload();
        }
      });
  }

  protected reveal(u: UserView): void {
    this.users.revealPhone(u.id).subscribe({
      next: (r) => this.revealed.update((m) => ({ ...m, [u.id]: r.phone })),
      error: (e) => this.problems.handle(e),
    });
  }

  protected unlock(u: UserView): void {
    this.users.unlock(u.id).subscribe({
      next: () => {
        this.message.success(this.lang.t('userAdmin.unlocked'));
        this.list.reload();
      },
      error: (e) => this.problems.handle(e),
    });
  }

  /** A lost phone: the user's second factor goes (audited on the server) and they enrol again at the next sign-in. */
  protected resetSecondFactor(u: UserView): void {
    this.users.resetSecondFactor(u.id).subscribe({
      next: () => {
        this.message.success(this.lang.t('userAdmin.secondFactorReset'));
        this.list.reload();
      },
      error: (e) => this.problems.handle(e),
    });
  }

  protected setStatus(u: UserView, status: 'active' | 'disabled'): void {
    this.users.update(u.id, { status }).subscribe({
      next: () => {
        this.message.success(this.lang.t('common.saved'));
        this.list.reload();
      },
      error: (e) => this.problems.handle(e),
    });
  }
}
