import { ChangeDetectionStrategy, Component, DOCUMENT, computed, effect, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { interval } from 'rxjs';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { NzMessageService } from 'ng-zorro-antd/message';
import { LangService, ProblemService, ShanghaiTimePipe } from '@linggong/console-core';
import { JobsApi, type ConfirmParty } from '../jobs.api';
import { DeskStore } from './desk.store';

/** While a recommendation waits for a phone to confirm, look again this often. */
const POLL_MS = 5000;

interface Codes { worker: string; employer: string }

/**
 * After 推荐: the confirmation panel. Each party confirms by scanning its QR code on a phone (the
 * public page at /m/:market/c/:token) or says yes at the desk; then 已到岗开工 records the start (R-B4).
 */
@Component({
  selector: 'lg-desk-confirm',
  imports: [TranslocoPipe, ShanghaiTimePipe, NzModalModule, NzButtonModule, NzIconModule, NzSpinModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './confirm-panel.html',
  styles: [
    `.lg-confirm { font-size: 16px; }
     .lg-confirm-who { font-size: 20px; margin-bottom: 12px; }
     .lg-confirm-who strong { font-size: 24px; }
     .lg-qrs { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin: 12px 0; }
     .lg-qr { text-align: center; border: 1px solid #f0f0f0; border-radius: 8px; padding: 12px; }
     .lg-qr h4 { font-size: 18px; margin: 0 0 4px; }
     .lg-qr img { width: 220px; height: 220px; }
     .lg-qr.lg-ok { background: #f6ffed; border-color: #b7eb8f; }
     .lg-qr-done { font-size: 20px; color: #389e0d; padding: 80px 0; }
     .lg-confirm-actions { display: flex; flex-wrap: wrap; gap: 12px; }
     .lg-confirm-actions .ant-btn { height: 56px; font-size: 18px; min-width: 150px; }
     .lg-confirm-state { font-size: 22px; color: #389e0d; margin: 12px 0; }
     .lg-muted { color: rgba(0, 0, 0, 0.55); font-size: 14px; }`,
  ],
})
export class ConfirmPanel {
  protected readonly store = inject(DeskStore);
  private readonly api = inject(JobsApi);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  private readonly document = inject(DOCUMENT);

  protected readonly placement = this.store.confirming;
  protected readonly busy = signal<string | null>(null);
  protected readonly qr = signal<Codes | null>(null);
  private readonly tokens = computed(() => {
    const p = this.placement();
    return p?.confirmTokens && p.status === 'recommended' ? `${p.marketId}|${p.confirmTokens.worker}|${p.confirmTokens.employer}` : null;
  });

  constructor() {
    effect(() => {
      const key = this.tokens();
      this.qr.set(null);
      if (key) void this.render(key);
    });
    interval(POLL_MS).pipe(takeUntilDestroyed()).subscribe(() => {
      const p = this.placement();
      if (!p || p.status !== 'recommended' || this.busy()) return;
      this.api.placement(p.id).subscribe({
        next: (fresh) => {
          const now = this.placement();
          if (now?.id !== fresh.id) return;
          const changed = fresh.status !== now.status || fresh.employerConfirmedAt !== now.employerConfirmedAt || fresh.workerConfirmedAt !== now.workerConfirmedAt;
          if (changed) this.store.placementChanged(fresh);
        },
        error: () => undefined,
      });
    });
  }

  /** The page each party opens by scanning (built by the public pages at /m/…). */
  private url(marketId: string, token: string): string {
    return `${this.document.location.origin}/m/${encodeURIComponent(marketId)}/c/${encodeURIComponent(token)}`;
  }

  private async render(key: string): Promise<void> {
    const [marketId, worker, employer] = key.split('|');
    // Loaded on first use: the desk's first screen does not need the encoder.
    const mod: typeof import('qrcode') & { default?: typeof import('qrcode') } = await import('qrcode');
    // A CommonJS package: the bundler puts its exports on `default`.
    const QR = mod.default ?? mod;
    const opts = { errorCorrectionLevel: 'M' as const, margin: 1, width: 440 };
    const [w, e] = await Promise.all([QR.toDataURL(this.url(marketId, worker), opts), QR.toDataURL(this.url(marketId, employer), opts)]);
    if (this.tokens() === key) this.qr.set({ worker: w, employer: e });
  }

  protected close(): void {
    this.placement.set(null);
  }

  protected reissue(): void {
    const p = this.placement();
    if (!p) return;
    this.run('tokens', this.api.reissueTokens(p.id));
  }

  protected confirm(party: ConfirmParty): void {
    const p = this.placement();
    if (!p) return;
    this.run(party, this.api.confirm(p.id, party), party === 'both' ? 'desk.confirm.bothDone' : undefined);
  }

  protected start(): void {
    const p = this.placement();
    if (!p) return;
    this.run('start', this.api.start(p.id), 'desk.confirm.started');
  }

  private run(what: string, call: ReturnType<JobsApi['confirm']>, done?: string): void {
    if (this.busy()) return;
    this.busy.set(what);
    call.subscribe({
      next: (p) => {
        this.busy.set(null);
        this.store.placementChanged(p);
        if (done) this.message.success(this.lang.t(done, { name: p.workerName }));
      },
      error: (e) => {
        this.busy.set(null);
        this.problems.handle(e);
      },
    });
  }
}
