import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import { checkNonPayment, fieldProblemText } from '@linggong/domain/light';
import { LangService, problemOf } from '@linggong/console-core';
import { PublicApi, type PublicConfirmationView } from './public.api';
import { PublicMarketStore } from './public-market.store';
import { startLabel, toFen, yuan } from './format';

type Fields = Partial<Record<'amountOwedFen' | 'description', string>>;

/**
 * `/m/:marketId/c/:token` — the QR the desk shows after recommending a worker (R-B4 instant
 * confirmation): each party sees the job and the other side (masked) and confirms on their own
 * phone. The worker's code also lets them report unpaid wages afterwards (R-B5, R-B8).
 */
@Component({
  selector: 'lg-public-confirmation',
  imports: [RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './confirmation.page.html',
  styles: [
    `h1 { font-size: 24px; margin: 4px 4px 12px; }
     .banner { display: flex; align-items: center; gap: 12px; padding: 16px; margin-bottom: 12px; border-radius: 12px; font-size: 20px; font-weight: 600; }
     .banner .anticon { font-size: 36px; }
     .ok { background: #f6ffed; border: 2px solid #52c41a; color: #237804; }
     .wait { background: #e6f4ff; border: 2px solid #4096ff; color: #003eb3; }
     .off { background: #fafafa; border: 2px solid #d9d9d9; color: rgba(0, 0, 0, 0.65); }
     .job h2 { font-size: 22px; }
     .wage b { font-size: 30px; color: #d4380d; }
     .k { display: block; color: rgba(0, 0, 0, 0.65); font-size: 15px; }
     .report h2 { color: #cf1322; }`,
  ],
})
export class PublicConfirmationPage {
  readonly token = input.required<string>();
  private readonly api = inject(PublicApi);
  private readonly lang = inject(LangService);
  protected readonly store = inject(PublicMarketStore);

  protected readonly view = signal<PublicConfirmationView | null>(null);
  protected readonly state = signal<'loading' | 'ready' | 'invalid' | 'failed'>('loading');
  protected readonly busy = signal(false);
  protected readonly alert = signal<string | null>(null);
  protected readonly reportOpen = signal(false);
  protected readonly amount = signal('');
  protected readonly description = signal('');
  protected readonly errors = signal<Fields>({});
  protected readonly reported = signal(false);
  protected readonly yuan = yuan;

  protected readonly mine = computed(() => {
    const v = this.view();
    return !!v && (v.party === 'worker' ? v.workerConfirmed : v.employerConfirmed);
  });
  protected readonly canConfirm = computed(() => this.view()?.status === 'recommended' && !this.mine());
  protected readonly canReport = computed(() => {
    const v = this.view();
    return !!v && v.party === 'worker' && (v.status === 'started' || v.status === 'completed') && !v.nonPayment;
  });
  /** One line that says where things stand, in the reader's terms. */
  protected readonly banner = computed<{ cls: string; icon: string; key: string } | null>(() => {
    const v = this.view();
    if (!v) return null;
    if (v.status === 'cancelled' || v.status === 'no_show') return { cls: 'off', icon: 'stop', key: `public.confirm.state.${v.status}` };
    if (v.status === 'started' || v.status === 'completed') return { cls: 'ok', icon: 'check-circle', key: `public.confirm.state.${v.status}` };
    if (v.workerConfirmed && v.employerConfirmed) return { cls: 'ok', icon: 'check-circle', key: 'public.confirm.state.both' };
    if (this.mine()) return { cls: 'wait', icon: 'clock-circle', key: 'public.confirm.state.mine' };
    return null;
  });

  constructor() {
    effect(() => this.load(this.store.marketId(), this.token()));
  }

  private load(marketId: string, token: string): void {
    this.state.set('loading');
    this.api.confirmation(marketId, token).subscribe({
      next: (v) => {
        this.view.set(v);
        this.state.set('ready');
      },
      error: (e: unknown) => {
        const p = problemOf(e, (k, params) => this.lang.t(k, params));
        this.state.set(p.status === 404 || p.status === 400 ? 'invalid' : 'failed');
      },
    });
  }

  protected retry(): void {
    this.load(this.store.marketId(), this.token());
  }

  protected start(iso: string): string {
    this.lang.lang();
    return startLabel(iso, (key, params) => this.lang.t(key, params));
  }

  protected confirm(): void {
    this.busy.set(true);
    this.alert.set(null);
    this.api.confirm(this.store.marketId(), this.token()).subscribe({
      next: (v) => {
        this.busy.set(false);
        this.view.set(v);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        const p = problemOf(e, (k, params) => this.lang.t(k, params));
        if (p.status === 404) this.state.set('invalid');
        else this.alert.set(p.detail ?? p.title);
      },
    });
  }

  protected report(): void {
    const lang = this.lang.lang();
    const fen = toFen(this.amount());
    const body = { amountOwedFen: fen ?? NaN, description: this.description().trim() };
    // The rules of nonPaymentSchema without zod (libs/domain light-checks.ts); the API decides.
    const problems = checkNonPayment(body);
    if (problems.length || fen === null) {
      const fields: Fields = {};
      if (fen === null || fen < 1) fields.amountOwedFen = this.lang.t('public.confirm.amountInvalid');
      for (const p of problems) fields[p.field as keyof Fields] ??= fieldProblemText(lang, p);
      this.errors.set(fields);
      return;
    }
    this.errors.set({});
    this.busy.set(true);
    this.alert.set(null);
    this.api.nonPayment(this.store.marketId(), this.token(), body).subscribe({
      next: (v) => {
        this.busy.set(false);
        this.view.set(v);
        this.reported.set(true);
        this.reportOpen.set(false);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        const p = problemOf(e, (k, params) => this.lang.t(k, params));
        const fields: Fields = {};
        for (const x of p.errors ?? []) {
          if (x.field === 'amountOwedFen' || x.field === 'description') fields[x.field] ??= x.message;
        }
        this.errors.set(fields);
        this.alert.set(p.title);
      },
    });
  }
}
