import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzMessageService } from 'ng-zorro-antd/message';
import {
  MARKET_STATUSES, MARKET_TYPES, OPERATING_MODES, OPERATING_NATURES, registerMarketSchema, updateMarketRegistrationSchema,
  type MarketStatus, type MarketType, type OperatingMode, type OperatingNature, type OrganisationView,
} from '@linggong/domain';
import {
  LangService, MarketsService, OrganisationsService, ProblemService, compact, fieldError
} from '@linggong/console-core';
import { RegionCascader } from '@linggong/console-ui';

/** Register a market (county reviewer / platform admin, R-A3) or edit its registration fields. */
@Component({
  selector: 'lg-market-registration',
  imports: [
    ReactiveFormsModule, RouterLink, TranslocoPipe, RegionCascader, NzFormModule, NzInputModule, NzSelectModule,
    NzButtonModule, NzCardModule, NzIconModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './market-registration.page.html',
})
export class MarketRegistrationPage {
  /** Absent on /markets/new. */
  readonly id = input<string>();
  private readonly markets = inject(MarketsService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly editing = computed(() => !!this.id());
  protected readonly saving = signal(false);
  protected readonly operators = signal<OrganisationView[]>([]);
  protected readonly types = MARKET_TYPES;
  protected readonly natures = OPERATING_NATURES;
  protected readonly modes = OPERATING_MODES;
  protected readonly statuses = MARKET_STATUSES;
  protected readonly form = this.fb.group({
    name: '',
    type: this.fb.control<MarketType>('comprehensive'),
    nature: this.fb.control<OperatingNature>('public'),
    mode: this.fb.control<OperatingMode>('contracted'),
    regionCode: this.fb.control<string | null>(null),
    operatorId: this.fb.control<string | null>(null),
    status: this.fb.control<MarketStatus>('preparing'),
    address: '',
    openingHours: '',
    hotline: '',
  });

  constructor() {
    inject(OrganisationsService)
      .list({ kind: 'operator', pageSize: 200 })
      .subscribe({ next: (p) => this.operators.set(p.items.filter((o) => o.status === 'active')), error: (e) => this.problems.handle(e) });
    effect(() => {
      const id = this.id();
      if (!id) return;
      this.markets.get(id).subscribe({
        next: (m) => this.form.patchValue({ ...m, address: m.address ?? '', openingHours: m.openingHours ?? '', hotline: m.hotline ?? '' }),
        error: (e) => this.problems.handle(e),
      });
    });
  }

  protected err(name: string): string {
    return fieldError(this.form.get(name));
  }

  protected submit(): void {
    const v = this.form.getRawValue();
    const id = this.id();
    if (id) {
      const body = this.problems.validate(
        updateMarketRegistrationSchema,
        { name: v.name.trim(), type: v.type, nature: v.nature, mode: v.mode, operatorId: v.operatorId, status: v.status },
        this.form,
      );
      if (body) this.save(this.markets.updateRegistration(id, body));
    } else {
      const { address, openingHours, hotline, ...registration } = v;
      const body = this.problems.validate(
        registerMarketSchema,
        { ...registration, operatorId: null, name: v.name.trim(), regionCode: v.regionCode ?? '', ...compact({ address, openingHours, hotline }) },
        this.form,
      );
      if (body) this.save(this.markets.register(body));
    }
  }

  private save(call: ReturnType<MarketsService['register']>): void {
    this.saving.set(true);
    call.subscribe({
      next: (m) => {
        this.saving.set(false);
        this.message.success(this.lang.t('common.saved'));
        void this.router.navigate(['/markets', m.id]);
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }
}
