import { ChangeDetectionStrategy, Component, DestroyRef, ViewEncapsulation, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { LgIcon } from '@linggong/console-ui/light';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { toDataURL } from 'qrcode';
import type { GateCodeView, MarketView } from '@linggong/domain';
import { MarketsService, ProblemService } from '@linggong/console-core';
import { PublicApi } from './public.api';

/**
 * `/markets/:id/gate` (signed in: staff who check workers in at the market) — the gate screen, opened
 * full-screen on a display at the market's entrance: the check-in QR and the current 6-digit gate code
 * (issue 12 §4: proof of presence, so the check-in count cannot be inflated from afar). The code
 * rotates every three minutes; the page fetches the next one when it rotates and shows a countdown.
 */
@Component({
  selector: 'lg-gate-screen',
  imports: [RouterLink, TranslocoPipe, NzButtonModule, LgIcon, NzSpinModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  template: `
    <div class="lg-page-header lg-gate-toolbar">
      <h2>
        <a [routerLink]="['/markets', id()]"><lg-icon type="arrow-left" /></a>
        {{ 'public.gate.pageTitle' | transloco }}
      </h2>
      <button nz-button nzType="primary" (click)="fullScreen()" data-testid="gate-fullscreen"><lg-icon type="fullscreen" /> {{ 'public.gate.fullScreen' | transloco }}</button>
    </div>
    <div class="lg-gate" #screen data-testid="gate-screen">
      <div class="lg-gate-market">{{ market()?.name ?? '' }}</div>
      <div class="lg-gate-body">
        <div>
          @if (image(); as src) {
            <img [src]="src" [alt]="url()" data-testid="gate-qr" />
          } @else {
            <nz-spin nzSimple />
          }
          <div class="lg-gate-step">{{ 'public.gate.scan' | transloco }}</div>
        </div>
        <div>
          <div class="lg-gate-label">{{ 'public.gate.codeLabel' | transloco }}</div>
          @if (code(); as c) {
            <div class="lg-gate-code" data-testid="gate-code">{{ c.code }}</div>
            <div class="lg-gate-left" data-testid="gate-countdown">{{ 'public.gate.changesIn' | transloco: { seconds: secondsLeft() } }}</div>
          } @else {
            <nz-spin nzSimple />
          }
          <div class="lg-gate-step">{{ 'public.gate.hint' | transloco }}</div>
        </div>
      </div>
    </div>
  `,
  styles: [
    `.lg-gate { background: #fff; border: 1px solid #f0f0f0; border-radius: 8px; padding: 32px; text-align: center; }
     .lg-gate:fullscreen { border: 0; border-radius: 0; display: flex; flex-direction: column; justify-content: center; }
     .lg-gate-market { font-size: 36px; font-weight: 700; margin-bottom: 24px; }
     .lg-gate-body { display: flex; flex-wrap: wrap; gap: 48px; justify-content: center; align-items: center; }
     .lg-gate-body img { width: 320px; height: 320px; image-rendering: pixelated; }
     .lg-gate-label { font-size: 28px; color: #0958d9; font-weight: 600; }
     .lg-gate-code { font-size: 144px; line-height: 1.1; font-weight: 800; letter-spacing: 16px; color: #0958d9; font-variant-numeric: tabular-nums; }
     .lg-gate-left { font-size: 20px; color: rgba(0, 0, 0, 0.55); }
     .lg-gate-step { font-size: 22px; margin-top: 12px; max-width: 420px; }`,
  ],
})
export class GateScreenPage {
  readonly id = input.required<string>();
  private readonly api = inject(PublicApi);
  private readonly markets = inject(MarketsService);
  private readonly problems = inject(ProblemService);
  protected readonly market = signal<MarketView | null>(null);
  protected readonly code = signal<GateCodeView | null>(null);
  protected readonly url = signal('');
  protected readonly image = signal<string | null>(null);
  protected readonly secondsLeft = signal(0);
  private refresh: ReturnType<typeof setTimeout> | undefined;
  private readonly tick = setInterval(() => this.countdown(), 1000);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      clearInterval(this.tick);
      clearTimeout(this.refresh);
    });
    effect(() => {
      const id = this.id();
      const url = `${globalThis.location.origin}/m/${id}/checkin`;
      this.url.set(url);
      toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 640 }).then((d) => this.image.set(d), (e: unknown) => this.problems.handle(e));
      this.markets.get(id).subscribe({ next: (m) => this.market.set(m), error: (e) => this.problems.handle(e) });
      this.load(id);
    });
  }

  protected fullScreen(): void {
    void globalThis.document?.querySelector('.lg-gate')?.requestFullscreen?.();
  }

  private load(id: string): void {
    clearTimeout(this.refresh);
    this.api.gateCode(id).subscribe({
      next: (c) => {
        this.code.set(c);
        this.countdown();
        // Fetch the next code just after this one rotates (a clock a little off is covered: the previous code is still accepted).
        this.refresh = setTimeout(() => this.load(id), Math.max(1000, new Date(c.rotatesAt).getTime() - Date.now() + 1000));
      },
      error: (e) => {
        this.problems.handle(e);
        this.refresh = setTimeout(() => this.load(id), 15_000);
      },
    });
  }

  private countdown(): void {
    const c = this.code();
    this.secondsLeft.set(c ? Math.max(0, Math.round((new Date(c.rotatesAt).getTime() - Date.now()) / 1000)) : 0);
  }
}
