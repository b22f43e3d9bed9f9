import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { TranslocoPipe } from '@jsverse/transloco';
import { normaliseMobile } from '@linggong/domain';
import { LangService, ShanghaiTimePipe } from '@linggong/console-core';
import { TrainingApi, type PublicAttendanceResult, type PublicSessionView } from './training.api';

/**
 * `/t/:token` — the page a trainee's phone opens by scanning the session's QR in the classroom
 * (R-B10 "signed … by QR"). No sign-in: the trainee types the mobile number registered at the market.
 * Sign-in is accepted from 30 minutes before the session until it ends; the server refuses other times.
 */
@Component({
  selector: 'lg-training-sign-in',
  imports: [FormsModule, TranslocoPipe, ShanghaiTimePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="lg-t">
      @if (session(); as s) {
        <h1 data-testid="t-course">{{ s.courseTitle }}</h1>
        <p>{{ s.marketName }}</p>
        <p>{{ s.startsAt | shanghai: false }} – {{ s.endsAt | shanghai: false }} · {{ s.hours }} {{ 'training.hourUnit' | transloco }}</p>
        <p>{{ 'training.trainer' | transloco }}：{{ s.trainer }} · {{ s.place }}</p>
        @if (done(); as d) {
          <div class="lg-t-done" data-testid="t-done">✓ {{ (d.status === 'signed_in' ? 'training.public.signedIn' : 'training.public.already') | transloco: { name: d.name } }}
            <div>{{ d.signedAt | shanghai }}</div></div>
        } @else {
          <label for="t-mobile">{{ 'training.public.mobile' | transloco }}</label>
          <input id="t-mobile" type="tel" inputmode="numeric" maxlength="13" [ngModel]="mobile()" (ngModelChange)="mobile.set($event)" data-testid="t-mobile" />
          <button type="button" (click)="submit()" [disabled]="busy()" data-testid="t-submit">{{ 'training.public.submit' | transloco }}</button>
        }
      } @else if (!error()) { <p>…</p> }
      @if (error(); as e) { <p class="lg-t-error" data-testid="t-error">{{ e }}</p> }
    </main>`,
  styles: [
    `.lg-t { max-width: 480px; margin: 0 auto; padding: 24px 16px; font-size: 18px; }
     .lg-t h1 { font-size: 24px; }
     .lg-t label { display: block; margin-top: 16px; }
     .lg-t input { width: 100%; font-size: 24px; padding: 12px; margin: 8px 0; box-sizing: border-box; }
     .lg-t button { width: 100%; font-size: 22px; padding: 14px; background: #1677ff; color: #fff; border: 0; border-radius: 8px; }
     .lg-t-done { font-size: 22px; color: #389e0d; margin-top: 16px; }
     .lg-t-error { color: #cf1322; margin-top: 16px; }`,
  ],
})
export class TrainingSignInPage {
  private readonly api = inject(TrainingApi);
  private readonly lang = inject(LangService);
  readonly token = input.required<string>();
  protected readonly session = signal<PublicSessionView | null>(null);
  protected readonly done = signal<PublicAttendanceResult | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly mobile = signal('');
  protected readonly busy = signal(false);

  constructor() {
    effect(() => {
      this.api.publicSession(this.token()).subscribe({ next: (s) => this.session.set(s), error: (e) => this.error.set(this.text(e)) });
    });
  }

  protected submit(): void {
    const mobile = normaliseMobile(this.mobile());
    if (!/^1[3-9]\d{9}$/.test(mobile)) {
      this.error.set(this.lang.t('desk.checkin.badMobile'));
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.api.publicAttend(this.token(), mobile).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.done.set(r);
      },
      error: (e) => {
        this.busy.set(false);
        this.error.set(this.text(e));
      },
    });
  }

  private text(e: unknown): string {
    const body = e instanceof HttpErrorResponse ? (e.error as { title?: string; errors?: { message: string }[] } | null) : null;
    return body?.errors?.[0]?.message ?? body?.title ?? this.lang.t('public.network');
  }
}
