import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { LIGHT_TOTP_CODE_RE as TOTP_CODE_RE, checkLogin, fieldProblemText, isChallenge, type SecondFactorChallenge } from '@linggong/domain/light';
import { msg } from '@linggong/domain/messages';
import { AuthService, LangService, ProblemService, fieldError, setFieldError } from '@linggong/console-core';
import { RecoveryCodesList } from './recovery-codes';

/**
 * Sign-in in up to three steps (issue 12): the password; then, for a user with a second factor, the
 * code from the authenticator app (or a recovery code); or, for a user who must have one and has
 * none, the enrolment (QR code and the secret for manual entry, confirmed by a first code) followed
 * by the recovery codes, shown once.
 */
@Component({
  selector: 'lg-login',
  imports: [ReactiveFormsModule, TranslocoPipe, NzCardModule, NzFormModule, NzInputModule, NzButtonModule, NzAlertModule, NzIconModule, RecoveryCodesList],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.page.html',
  styleUrl: './login.page.less',
})
export class LoginPage {
  /** Where to go after signing in (set by the guard and the 401 interceptor). */
  readonly returnUrl = input<string>();
  protected readonly lang = inject(LangService);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  /** The API's localised reason (wrong password, account locked, disabled, wrong code). */
  protected readonly error = signal<string | null>(null);
  protected readonly step = signal<'password' | 'code' | 'enrol' | 'recovery-codes'>('password');
  protected readonly challenge = signal<SecondFactorChallenge | null>(null);
  /** Entering a recovery code instead of a TOTP code. */
  protected readonly useRecovery = signal(false);
  protected readonly recoveryCodes = signal<string[]>([]);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({ username: '', password: '' });
  protected readonly codeForm = this.fb.group({ code: '', recoveryCode: '' });

  protected err(name: string): string {
    return fieldError(this.form.get(name));
  }

  protected toggleLang(): void {
    void this.lang.use(this.lang.lang() === 'zh-CN' ? 'en' : 'zh-CN');
  }

  protected submit(): void {
    this.error.set(null);
    // The rules of loginSchema without zod (libs/domain light-checks.ts): the sign-in page loads on a weak signal (issue 17 §10).
    const raw = this.form.getRawValue();
    const problems = checkLogin(raw);
    for (const p of problems) setFieldError(this.form, p.field, fieldProblemText(this.lang.lang(), p));
    if (problems.length) return;
    const value = { username: raw.username.trim(), password: raw.password };
    this.busy.set(true);
    this.auth.login(value).subscribe({
      next: (r) => {
        this.busy.set(false);
        if (!isChallenge(r)) return this.done();
        this.challenge.set(r);
        this.codeForm.reset();
        this.useRecovery.set(false);
        this.step.set(r.secondFactor === 'enrol' ? 'enrol' : 'code');
      },
      error: (e) => this.fail(e),
    });
  }

  protected submitCode(): void {
    this.error.set(null);
    const ch = this.challenge();
    if (!ch) return;
    const { code, recoveryCode } = this.codeForm.getRawValue();
    if (!this.useRecovery() && !TOTP_CODE_RE.test(code.trim())) return this.error.set(this.lang.t('secondFactor.codeFormat'));
    if (this.useRecovery() && recoveryCode.trim().length < 8) return this.error.set(this.lang.t('secondFactor.recoveryFormat'));
    this.busy.set(true);
    if (ch.secondFactor === 'enrol') {
      this.auth.enrol(ch.challenge, code.trim()).subscribe({
        next: (r) => {
          this.busy.set(false);
          this.recoveryCodes.set(r.recoveryCodes);
          this.step.set('recovery-codes');
        },
        error: (e) => this.fail(e),
      });
      return;
    }
    const answer = this.useRecovery() ? { recoveryCode: recoveryCode.trim() } : { code: code.trim() };
    this.auth.secondFactor(ch.challenge, answer).subscribe({ next: () => this.done(), error: (e) => this.fail(e) });
  }

  protected toggleRecovery(): void {
    this.useRecovery.update((v) => !v);
    this.error.set(null);
  }

  /** Back to the password (a challenge that expired or a locked account). */
  protected restart(): void {
    this.challenge.set(null);
    this.step.set('password');
    this.error.set(null);
    this.form.controls.password.reset();
  }

  protected done(): void {
    this.busy.set(false);
    const target = this.returnUrl();
    void this.router.navigateByUrl(target && target.startsWith('/') && !target.startsWith('//') ? target : '/');
  }

  private fail(e: unknown): void {
    this.busy.set(false);
    const p = this.problems.toProblem(e);
    this.error.set(p.detail ?? p.title);
    // An expired challenge, a lock or a refused secret sends the user back to the password step.
    const expired = p.title === msg(this.lang.lang(), 'second_factor_expired');
    if (this.step() !== 'password' && (p.status === 423 || p.status === 403 || expired)) {
      this.challenge.set(null);
      this.step.set('password');
    }
  }
}
