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
import { loginSchema } from '@linggong/domain';
import { AuthService, LangService, ProblemService, fieldError } from '@linggong/console-core';

@Component({
  selector: 'lg-login',
  imports: [ReactiveFormsModule, TranslocoPipe, NzCardModule, NzFormModule, NzInputModule, NzButtonModule, NzAlertModule, NzIconModule],
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
  /** The API's localised reason (wrong password, account locked, disabled). */
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({ username: '', password: '' });

  protected err(name: string): string {
    return fieldError(this.form.get(name));
  }

  protected toggleLang(): void {
    void this.lang.use(this.lang.lang() === 'zh-CN' ? 'en' : 'zh-CN');
  }

  protected submit(): void {
    this.error.set(null);
    const value = this.problems.validate(loginSchema, this.form.getRawValue(), this.form);
    if (!value) return;
    this.busy.set(true);
    this.auth.login(value).subscribe({
      next: () => {
        this.busy.set(false);
        const target = this.returnUrl();
        void this.router.navigateByUrl(target && target.startsWith('/') && !target.startsWith('//') ? target : '/');
      },
      error: (e) => {
        this.busy.set(false);
        const p = this.problems.toProblem(e);
        this.error.set(p.detail ?? p.title);
      },
    });
  }
}
