import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NZ_MODAL_DATA, NzModalRef } from 'ng-zorro-antd/modal';
import { catchError, map, of, switchMap } from 'rxjs';
import {
  OPERATOR_GRANTABLE_ROLES, ROLES, ROLE_ORG_KINDS, USER_STATUSES, createUserSchema, updateUserSchema,
  type MarketView, type OrgKind, type Role, type UserView,
} from '@linggong/domain';
import {
  AuthService, MarketsService, OrganisationsService, ProblemService, UsersService, compact, fieldError,
} from '@linggong/console-core';

interface OrgOption { id: string; name: string; kind: OrgKind }

/** Create a user or edit roles, market assignment, phone and status; opened in a modal. */
@Component({
  selector: 'lg-user-form',
  imports: [ReactiveFormsModule, TranslocoPipe, NzFormModule, NzInputModule, NzSelectModule, NzButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './user-form.html',
  styles: ['.actions { display: flex; justify-content: flex-end; gap: 8px; }'],
})
export class UserForm {
  protected readonly ref = inject(NzModalRef);
  protected readonly user = inject<UserView | null>(NZ_MODAL_DATA, { optional: true });
  private readonly users = inject(UsersService);
  private readonly problems = inject(ProblemService);
  private readonly auth = inject(AuthService);
  private readonly markets = inject(MarketsService);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly statuses = USER_STATUSES;
  protected readonly saving = signal(false);
  protected readonly orgOptions = signal<OrgOption[]>([]);
  protected readonly form = this.fb.group({
    username: '',
    displayName: this.user?.displayName ?? '',
    phone: '',
    password: '',
    orgId: this.user?.orgId ?? this.auth.me()?.org.id ?? '',
    roles: this.fb.control<Role[]>(this.user?.roles ?? []),
    marketIds: this.fb.control<string[]>(this.user?.marketIds ?? []),
    status: this.fb.control<'active' | 'disabled'>(this.user?.status ?? 'active'),
  });
  private readonly orgId = toSignal(this.form.controls.orgId.valueChanges, { initialValue: this.form.controls.orgId.value });
  protected readonly orgKind = computed<OrgKind | undefined>(() => {
    if (this.user) return this.user.orgKind;
    const id = this.orgId();
    const me = this.auth.me();
    return this.orgOptions().find((o) => o.id === id)?.kind ?? (me?.org.id === id ? me?.org.kind : undefined);
  });
  /** Only roles this kind of organisation may hold; an operator admin grants operator roles only. */
  protected readonly roleOptions = computed<readonly Role[]>(() => {
    const kind = this.orgKind();
    const base = this.auth.me()?.org.kind === 'operator' ? OPERATOR_GRANTABLE_ROLES : ROLES;
    return base.filter((r) => !kind || ROLE_ORG_KINDS[r].includes(kind));
  });
  /** Markets of the user's operator, for market-level roles. */
  protected readonly marketOptions = toSignal(
    this.form.controls.orgId.valueChanges.pipe(
      map(() => this.form.controls.orgId.value),
      switchMap((id) =>
        this.orgKind() === 'operator' && id
          ? this.markets.list({ operatorId: id, pageSize: 200 }).pipe(
              map((p) => p.items),
              catchError(() => of([] as MarketView[])),
            )
          : of([] as MarketView[]),
      ),
    ),
    { initialValue: [] as MarketView[] },
  );

  constructor() {
    const me = this.auth.me();
    if (me) this.orgOptions.set([{ id: me.org.id, name: me.org.name, kind: me.org.kind }]);
    if (!this.user && this.auth.canBeyondOwn('read', 'Organisation')) {
      inject(OrganisationsService)
        .list({ pageSize: 200 })
        .subscribe({ next: (p) => this.orgOptions.set(p.items.filter((o) => o.status === 'active')), error: () => undefined });
    }
    // Trigger the first market load once the view has subscribed.
    queueMicrotask(() => this.form.controls.orgId.updateValueAndValidity());
  }

  protected err(name: string): string {
    return fieldError(this.form.get(name));
  }

  protected submit(): void {
    const v = this.form.getRawValue();
    if (this.user) {
      const body = this.problems.validate(
        updateUserSchema,
        { displayName: v.displayName, phone: v.phone.trim() || undefined, roles: v.roles, marketIds: v.marketIds, status: v.status },
        this.form,
      );
      if (body) this.save(this.users.update(this.user.id, compact(body)));
    } else {
      const body = this.problems.validate(
        createUserSchema,
        compact({ username: v.username, displayName: v.displayName, phone: v.phone, password: v.password, orgId: v.orgId, roles: v.roles, marketIds: v.marketIds }),
        this.form,
      );
      if (body) this.save(this.users.create(body));
    }
  }

  private save(call: ReturnType<UsersService['create']>): void {
    this.saving.set(true);
    call.subscribe({
      next: (u) => {
        this.saving.set(false);
        this.ref.close(u);
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }
}
