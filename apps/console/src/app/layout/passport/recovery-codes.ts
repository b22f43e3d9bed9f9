import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';

/** Recovery codes, shown once: a list to write down, copy or download. */
@Component({
  selector: 'lg-recovery-codes',
  imports: [TranslocoPipe, NzAlertModule, NzButtonModule, NzIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nz-alert nzType="warning" nzShowIcon [nzMessage]="'secondFactor.recoveryOnce' | transloco" style="margin-bottom: 12px" />
    <ol class="codes" data-testid="recovery-codes">
      @for (c of codes(); track c) { <li><code>{{ c }}</code></li> }
    </ol>
    <a nz-button nzType="default" [href]="download()" download="linggong-recovery-codes.txt" data-testid="recovery-download">
      <nz-icon nzType="download" /> {{ 'secondFactor.download' | transloco }}
    </a>
  `,
  styles: [`.codes { columns: 2; font-size: 15px; margin: 0 0 12px; padding-left: 24px; } .codes code { letter-spacing: 1px; }`],
})
export class RecoveryCodesList {
  readonly codes = input.required<string[]>();
  protected readonly download = computed(() => `data:text/plain;charset=utf-8,${encodeURIComponent(this.codes().join('\n') + '\n')}`);
}
