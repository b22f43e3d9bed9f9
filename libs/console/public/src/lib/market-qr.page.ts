import { ChangeDetectionStrategy, Component, ViewEncapsulation, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { LgIcon } from '@linggong/console-ui/light';
import { NzSpinModule } from 'ng-zorro-antd/spin';
import { toDataURL } from 'qrcode';
import type { MarketView } from '@linggong/domain';
import { MarketsService, ProblemService } from '@linggong/console-core';

/**
 * `/markets/:id/qr` (signed in) — the sheet to print and post at the market's gate: a large QR code
 * to the public check-in page (R-B2: register by scanning, not by form), the market's name and
 * three steps in plain words. Printing hides the console around it.
 */
@Component({
  selector: 'lg-market-qr',
  imports: [RouterLink, TranslocoPipe, NzButtonModule, LgIcon, NzSpinModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Global on purpose: the print rules must reach the shell's sider and header.
  encapsulation: ViewEncapsulation.None,
  templateUrl: './market-qr.page.html',
  styles: [
    `.lg-qr-sheet { max-width: 720px; margin: 0 auto; padding: 32px 40px; background: #fff; border: 1px solid #f0f0f0; border-radius: 8px; text-align: center; }
     .lg-qr-sheet .lg-qr-org { color: rgba(0, 0, 0, 0.55); font-size: 16px; letter-spacing: 2px; }
     .lg-qr-sheet h1 { font-size: 34px; margin: 4px 0 0; }
     .lg-qr-sheet h2 { font-size: 44px; margin: 8px 0 16px; color: #1677ff; font-weight: 700; letter-spacing: 4px; }
     .lg-qr-sheet img { display: block; width: 380px; height: 380px; max-width: 100%; margin: 0 auto; image-rendering: pixelated; }
     .lg-qr-steps { display: inline-block; margin: 16px auto 8px; padding-left: 1.4em; text-align: left; font-size: 22px; line-height: 1.7; }
     .lg-qr-help { font-size: 18px; margin: 8px 0; }
     .lg-qr-url { color: rgba(0, 0, 0, 0.45); font-size: 13px; word-break: break-all; }
     @media print {
       @page { size: A4 portrait; margin: 12mm; }
       .ant-layout-sider, .ant-layout-header, .lg-qr-toolbar { display: none !important; }
       .ant-layout, .ant-layout-content { margin: 0 !important; padding: 0 !important; background: #fff !important; }
       .lg-qr-sheet { border: 0; padding: 0; max-width: none; }
       .lg-qr-sheet img { width: 110mm; height: 110mm; }
     }`,
  ],
})
export class MarketQrPage {
  readonly id = input.required<string>();
  private readonly markets = inject(MarketsService);
  private readonly problems = inject(ProblemService);
  protected readonly market = signal<MarketView | null>(null);
  protected readonly url = signal('');
  protected readonly image = signal<string | null>(null);

  constructor() {
    effect(() => {
      const id = this.id();
      const url = `${globalThis.location.origin}/m/${id}/checkin`;
      this.url.set(url);
      this.image.set(null);
      // Error correction M and a wide quiet zone survive a creased, sun-faded print at a gate.
      toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 760 }).then(
        (data) => this.image.set(data),
        (e: unknown) => this.problems.handle(e),
      );
      this.markets.get(id).subscribe({ next: (m) => this.market.set(m), error: (e) => this.problems.handle(e) });
    });
  }

  protected print(): void {
    globalThis.print();
  }
}
