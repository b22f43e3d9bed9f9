import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzModalRef } from 'ng-zorro-antd/modal';
import { TOTP_CODE_RE, type SecondFactorStatus, type TotpEnrolment } from '@linggong/domain';
import { AuthService, LangService, ProblemService, fieldError, setFieldError } from '@linggong/console-core';
import { RecoveryCodesList } from './passport/recovery-codes';

/** The signed-in user's second factor: status, optional enrolment (QR), and new recovery codes. */
@Component({
  selector: 'lg-second-factor',
  imports: [ReactiveFormsModule, TranslocoPipe, NzFormModule, NzInputModule, NzButtonModule, NzTagModule, RecoveryCodesList],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (codes(); as list) {
      <lg-recovery-codes [codes]="list" />
      <div class="actions"><button nz-button nzType="primary" type="button" (click)="ref.close()">{{ 'secondFactor.close' | transloco }}</button></div>
    } @else if (status(); as s) {
      <p data-testid="second-factor-status">
        <nz-tag [nzColor]="s.enrolled ? 'green' : 'default'">{{ (s.enrolled ? 'secondFactor.statusOn' : 'secondFactor.statusOff') | transloco }}</nz-tag>
        {{ (s.required ? 'secondFactor.required' : 'secondFactor.optional') | transloco }}
      </p>
      @if (s.enrolled) {
        <p>{{ 'secondFactor.left' | transloco: { n: s.recoveryCodesLeft } }}</p>
        <p class="hint">{{ 'secondFactor.regenerateHint' | transloco }}</p>
      } @else if (enrolment(); as e) {
        <p>{{ 'secondFactor.enrolScan' | transloco }}</p>
        <div class="qr"><img [src]="e.qrDataUrl" width="180" height="180" [alt]="'secondFactor.qrAlt' | transloco" /></div>
        <p class="hint">{{ 'secondFactor.enrolManual' | transloco }} <code>{{ e.secret }}</code></p>
      }
      @if (s.enrolled || enrolment()) {
        <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit(s)">
          <nz-form-item>
            <nz-form-control [nzErrorTip]="err()">
              <input nz-input formControlName="code" inputmode="numeric" maxlength="6" autocomplete="one-time-code" [placeholder]="'secondFactor.code' | transloco" data-testid="second-factor-code" />
            </nz-form-control>
          </nz-form-item>
          <div class="actions">
            <button nz-button nzType="primary" type="submit" [nzLoading]="busy()" data-testid="second-factor-submit">
              {{ (s.enrolled ? 'secondFactor.regenerate' : 'secondFactor.enrolSubmit') | transloco }}
            </button>
          </div>
        </form>
      } @else {
        <div class="actions"><button nz-button nzType="primary" type="button" (click)="start()" [nzLoading]="busy()" data-testid="second-factor-enable">{{ 'secondFactor.enable' | transloco }}</button></div>
      }
    }
  `,
  styles: ['.actions { display: flex; justify-content: flex-end; gap: 8px; } .qr { text-align: center; } .hint { color: rgba(0,0,0,.55); } code { user-select: all; word-break: break-all; }'],
})
export class SecondFactorDialog {
  protected readonly ref = inject(NzModalRef);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly lang = inject(LangService);
  protected readonly status = signal<SecondFactorStatus | null>(null);
  protected readonly enrolment = signal<TotpEnrolment | null>(null);
  protected readonly codes = signal<string[] | null>(null);
  protected readonly busy = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({ code: '' });

  constructor() {
    this.auth.secondFactorStatus().subscribe({ next: (s) => this.status.set(s), error: (e) => this.problems.handle(e) });
  }

  protected err(): string {
    return fieldError(this.form.get('code'));
  }

  protected start(): void {
    this.busy.set(true);
    this.auth.startEnrolment().subscribe({
      next: (e) => {
        this.busy.set(false);
        this.enrolment.set(e);
      },
      error: (e) => {
        this.busy.set(false);
        this.problems.handle(e);
      },
    });
  }

  protected submit(s: SecondFactorStatus): void {
    const code = this.form.getRawValue().code.trim();
    if (!TOTP_CODE_RE.test(code)) {
      setFieldError(this.form, 'code', this.lang.t('secondFactor.codeFormat'));
      return;
    }
    this.busy.set(true);
    (s.enrolled ? this.auth.regenerateRecoveryCodes(code) : this.auth.confirmEnrolment(code)).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.codes.set(r.recoveryCodes);
      },
      error: (e) => {
        this.busy.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }
}
