import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzModalRef } from 'ng-zorro-antd/modal';
import { changePasswordSchema, msg, passwordProblem } from '@linggong/domain';
import { AuthService, LangService, ProblemService, fieldError, setFieldError } from '@linggong/console-core';

@Component({
  selector: 'lg-change-password',
  imports: [ReactiveFormsModule, TranslocoPipe, NzFormModule, NzInputModule, NzButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()">
      <nz-form-item>
        <nz-form-label nzRequired>{{ 'password.current' | transloco }}</nz-form-label>
        <nz-form-control [nzErrorTip]="err('currentPassword')">
          <input nz-input type="password" formControlName="currentPassword" autocomplete="current-password" data-testid="password-current" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label nzRequired>{{ 'password.new' | transloco }}</nz-form-label>
        <nz-form-control [nzErrorTip]="err('newPassword')" [nzExtra]="'password.policy' | transloco">
          <input nz-input type="password" formControlName="newPassword" autocomplete="new-password" data-testid="password-new" />
        </nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label nzRequired>{{ 'password.confirm' | transloco }}</nz-form-label>
        <nz-form-control [nzErrorTip]="err('confirm')">
          <input nz-input type="password" formControlName="confirm" autocomplete="new-password" data-testid="password-confirm" />
        </nz-form-control>
      </nz-form-item>
      <div class="actions">
        <button nz-button type="button" (click)="ref.close()">{{ 'common.cancel' | transloco }}</button>
        <button nz-button nzType="primary" type="submit" [nzLoading]="saving()" data-testid="password-submit">{{ 'common.save' | transloco }}</button>
      </div>
    </form>
  `,
  styles: ['.actions { display: flex; justify-content: flex-end; gap: 8px; }'],
})
export class ChangePasswordDialog {
  protected readonly ref = inject(NzModalRef);
  private readonly auth = inject(AuthService);
  private readonly problems = inject(ProblemService);
  private readonly message = inject(NzMessageService);
  private readonly lang = inject(LangService);
  protected readonly saving = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({ currentPassword: '', newPassword: '', confirm: '' });

  protected err(name: string): string {
    return fieldError(this.form.get(name));
  }

  protected submit(): void {
    const { confirm, ...body } = this.form.getRawValue();
    const value = this.problems.validate(changePasswordSchema, body, this.form);
    if (!value) return;
    // The same policy the API applies, checked here so the user sees it before sending.
    const policy = passwordProblem(value.newPassword, this.auth.me()?.username);
    if (policy) {
      setFieldError(this.form, 'newPassword', msg(this.lang.lang(), policy));
      return;
    }
    if (confirm !== value.newPassword) {
      setFieldError(this.form, 'confirm', this.lang.t('password.mismatch'));
      return;
    }
    this.saving.set(true);
    this.auth.changePassword(value.currentPassword, value.newPassword).subscribe({
      next: () => {
        this.saving.set(false);
        this.message.success(this.lang.t('password.changed'));
        this.ref.close(true);
      },
      error: (e) => {
        this.saving.set(false);
        this.problems.handle(e, this.form);
      },
    });
  }
}
