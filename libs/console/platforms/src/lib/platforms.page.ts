import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  PLATFORM_SCOPES, PLATFORM_STATUSES, WEBHOOK_EVENTS, asSubject, disablePlatformSchema, registerPlatformSchema,
  type MarketView, type PlatformSecretView, type PlatformView,
} from '@linggong/domain';
import { AuthService, LangService, MarketsService, ProblemService, ShanghaiTimePipe, fieldError, setFieldError } from '@linggong/console-core';
import { LgCell, LgListPage, listState, type ListColumn } from '@linggong/console-ui';
import { PlatformsApi } from './platforms.api';

type Dialog = 'register' | 'disable' | 'secret' | null;

/** 第三方平台接入 (R-E8; issue 18 §3): register a platform for markets, its secret shown once, rotate, disable. */
@Component({
  selector: 'lg-platforms',
  imports: [
    LgListPage, LgCell, FormsModule, ReactiveFormsModule, RouterLink, TranslocoPipe, ShanghaiTimePipe, NzButtonModule, NzIconModule, NzTagModule,
    NzModalModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzAlertModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './platforms.page.html',
})
export class PlatformsPage {
  private readonly api = inject(PlatformsApi);
  private readonly marketsApi = inject(MarketsService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly list = listState({
    filters: { status: null as string | null, q: null as string | null },
    load: ({ filters, page, pageSize }) => this.api.list({ page, pageSize, status: filters.status, q: filters.q }),
  });
  protected readonly fieldError = fieldError;
  protected readonly scopes = PLATFORM_SCOPES;
  protected readonly statuses = PLATFORM_STATUSES;
  protected readonly events = WEBHOOK_EVENTS;
  protected readonly markets = signal<MarketView[]>([]);
  protected readonly canRegister = computed(() => {
    this.auth.ability();
    return this.auth.can('create', 'Platform');
  });
  protected readonly dialog = signal<Dialog>(null);
  protected readonly current = signal<PlatformView | null>(null);
  /** The secret of the last registration or rotation: shown in its dialog once, then forgotten. */
  protected readonly secret = signal<PlatformSecretView | null>(null);
  protected readonly saving = signal(false);

  protected readonly registerForm = this.fb.group({
    code: '', name: '', marketIds: this.fb.control<string[]>([]), scopes: this.fb.control<string[]>(['posts:write', 'outcomes:write']),
    ratePerMinute: this.fb.control<number | null>(120), webhookUrl: '', webhookEvents: this.fb.control<string[]>([]),
  });
  protected readonly disableForm = this.fb.group({ reason: '' });

  protected readonly columns: ListColumn[] = [
    { key: 'name', title: 'platform.name', width: '200px' },
    { key: 'appKey', title: 'platform.appKey', width: '200px', className: 'lg-break' },
    { key: 'scopes', title: 'platform.scopes', width: '200px' },
    { key: 'markets', title: 'platform.markets', width: '200px', className: 'lg-break' },
    { key: 'status', title: 'platform.status', className: 'lg-nowrap', testId: 'platform-status' },
    { key: 'calls', title: 'platform.calls', className: 'lg-nowrap' },
    { key: 'actions', title: 'common.actions', width: '170px' },
  ];

  constructor() {
    this.marketsApi.list({ pageSize: 200 }).subscribe({ next: (p) => this.markets.set(p.items), error: (e) => this.problems.handle(e) });
  }

  protected can(p: PlatformView): boolean {
    this.auth.ability();
    return this.auth.can('update', asSubject('Platform', { id: p.id, orgId: p.ownerOrgId, regionCode: p.regionCode }));
  }

  protected openRegister(): void {
    this.registerForm.reset({ code: '', name: '', marketIds: this.markets().length === 1 ? [this.markets()[0].id] : [], scopes: ['posts:write', 'outcomes:write'], ratePerMinute: 120, webhookUrl: '', webhookEvents: [] });
    this.dialog.set('register');
  }

  protected submitRegister(): void {
    const v = this.registerForm.getRawValue();
    const body = { ...v, ratePerMinute: v.ratePerMinute ?? 120, webhookUrl: v.webhookUrl.trim() || null };
    if (!v.marketIds.length) setFieldError(this.registerForm, 'marketIds', this.lang.t('platform.marketsRequired'));
    const parsed = this.problems.validate(registerPlatformSchema, body, this.registerForm);
    if (!parsed || !v.marketIds.length) return;
    this.saving.set(true);
    this.api.register(parsed).subscribe({
      next: (s) => this.showSecret(s),
      error: (err) => { this.saving.set(false); this.problems.handle(err, this.registerForm); },
    });
  }

  protected rotate(p: PlatformView): void {
    this.saving.set(true);
    this.api.rotate(p.id).subscribe({ next: (s) => this.showSecret(s), error: (err) => { this.saving.set(false); this.problems.handle(err); } });
  }

  protected openDisable(p: PlatformView): void {
    this.current.set(p);
    this.disableForm.reset({ reason: '' });
    this.dialog.set('disable');
  }

  protected submitDisable(): void {
    const p = this.current();
    const parsed = this.problems.validate(disablePlatformSchema, this.disableForm.getRawValue(), this.disableForm);
    if (!p || !parsed) return;
    this.saving.set(true);
    this.api.disable(p.id, parsed.reason).subscribe({
      next: () => { this.saving.set(false); this.dialog.set(null); this.message.success(this.lang.t('platform.disabled')); this.list.reload(); },
      error: (err) => { this.saving.set(false); this.problems.handle(err, this.disableForm); },
    });
  }

  protected closeSecret(): void {
    this.secret.set(null);
    this.dialog.set(null);
  }

  protected copy(text: string): void {
    void navigator.clipboard?.writeText(text).then(() => this.message.success(this.lang.t('platform.copied')), () => undefined);
  }

  private showSecret(s: PlatformSecretView): void {
    this.saving.set(false);
    this.secret.set(s);
    this.dialog.set('secret');
    this.list.reload();
  }
}
