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
import { ROLES, asSubject, type Role, type UserView } from '@linggong/domain';
import {
  AuthService, CanPipe, LangService, ProblemService, ShanghaiTimePipe, UsersService,
} from '@linggong/console-core';
import { UserForm } from './user-form';

@Component({
  selector: 'lg-user-list',
  imports: [
    NzModalModule, ReactiveFormsModule, TranslocoPipe, CanPipe, ShanghaiTimePipe, NzTableModule, NzFormModule, NzInputModule,
    NzSelectModule, NzButtonModule, NzIconModule, NzTagModule, NzCardModule, NzPopconfirmModule, NzDividerModule, NzTooltipModule,
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
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly roles = ROLES;
  protected readonly rows = signal<UserView[]>([]);
  protected readonly total = signal(0);
  protected readonly page = signal(1);
  protected readonly pageSize = signal(20);
  protected readonly loading = signal(false);
  /** Full numbers the user chose to reveal (each reveal is an audit event on the server). */
  protected readonly revealed = signal<Record<string, string | undefined>>({});
  protected readonly filters = this.fb.group({ q: '', role: this.fb.control<Role | null>(null) });

  constructor() {
    this.load();
  }

  private subject(u: UserView) {
    return asSubject('User', { id: u.id, tenantId: u.tenantId, orgId: u.orgId });
  }
  protected can(action: 'update' | 'reveal' | 'unlock', u: UserView): boolean {
    return this.auth.can(action, this.subject(u));
  }
  protected locked(u: UserView): boolean {
    return !!u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now();
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

  protected open(user: UserView | null): void {
    this.modal
      .create({ nzTitle: this.lang.t(user ? 'userAdmin.edit' : 'userAdmin.create'), nzContent: UserForm, nzData: user, nzFooter: null, nzWidth: 560 })
      .afterClose.subscribe((saved) => {
        if (saved) {
          this.message.success(this.lang.t('common.saved'));
          this.load();
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
        this.load();
      },
      error: (e) => this.problems.handle(e),
    });
  }

  /** A lost phone: the user's second factor goes (audited on the server) and they enrol again at the next sign-in. */
  protected resetSecondFactor(u: UserView): void {
    this.users.resetSecondFactor(u.id).subscribe({
      next: () => {
        this.message.success(this.lang.t('userAdmin.secondFactorReset'));
        this.load();
      },
      error: (e) => this.problems.handle(e),
    });
  }

  protected setStatus(u: UserView, status: 'active' | 'disabled'): void {
    this.users.update(u.id, { status }).subscribe({
      next: () => {
        this.message.success(this.lang.t('common.saved'));
        this.load();
      },
      error: (e) => this.problems.handle(e),
    });
  }

  private load(): void {
    this.loading.set(true);
    this.users.list({ ...this.filters.getRawValue(), page: this.page(), pageSize: this.pageSize() }).subscribe({
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
