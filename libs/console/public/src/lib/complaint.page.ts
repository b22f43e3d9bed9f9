import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import {
  LIGHT_COMPLAINT_CATEGORIES, checkPublicComplaint, fieldProblemText, normaliseMobile,
  type ComplaintCategory, type PublicComplaintInput, type PublicComplaintResult, type PublicComplaintStatus,
} from '@linggong/domain/light';
import { LangService, problemOf } from '@linggong/console-core';
import { PublicApi } from './public.api';
import { PublicMarketStore } from './public-market.store';
import { shanghaiDay } from './format';

type Fields = Partial<Record<'category' | 'content' | 'name' | 'mobile', string>>;

/**
 * `/m/:marketId/complaint` — the published complaint channel (R-D1): no sign-in, anonymity allowed,
 * a tracking code to follow progress (the one-time notice of missing materials, the result, the right
 * to ask for it to be handled again).
 */
@Component({
  selector: 'lg-public-complaint',
  imports: [RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './complaint.page.html',
  styles: [
    `h1 { font-size: 24px; margin: 4px 4px 12px; }
     .cats { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
     .cat { padding: 10px; border: 1px solid #d9d9d9; border-radius: 8px; background: #fff; font-size: 16px; }
     .cat.on { border-color: #1677ff; background: #e6f4ff; color: #0958d9; font-weight: 600; }
     textarea.lg-pub-input { min-height: 120px; resize: vertical; }
     .code { font-size: 26px; font-family: monospace; letter-spacing: 3px; font-weight: 700; }
     .row { display: flex; gap: 8px; align-items: center; }`,
  ],
})
export class PublicComplaintPage {
  protected readonly store = inject(PublicMarketStore);
  private readonly api = inject(PublicApi);
  private readonly lang = inject(LangService);

  protected readonly categories = LIGHT_COMPLAINT_CATEGORIES;
  protected readonly day = shanghaiDay;
  protected readonly category = signal<ComplaintCategory | null>(null);
  protected readonly content = signal('');
  protected readonly anonymous = signal(false);
  protected readonly name = signal('');
  protected readonly mobile = signal('');
  protected readonly errors = signal<Fields>({});
  protected readonly busy = signal(false);
  protected readonly result = signal<PublicComplaintResult | null>(null);
  protected readonly code = signal('');
  protected readonly status = signal<PublicComplaintStatus | null>(null);
  protected readonly trackError = signal('');
  protected readonly reopenReason = signal('');
  /** What the server said about a request that failed, in words (shown in the form, not as a toast). */
  protected readonly alert = signal<string | null>(null);
  protected readonly trackAlert = signal<string | null>(null);

  /** The server's words for a failure; field messages go beside their fields. */
  private fail(e: unknown, where: 'form' | 'track'): void {
    const p = problemOf(e, (k, params) => this.lang.t(k, params));
    const fields: Fields = {};
    const other: string[] = [];
    for (const x of p.errors ?? []) {
      const f = x.field.split('.')[0] as keyof Fields;
      if (where === 'form' && ['category', 'content', 'name', 'mobile'].includes(f)) fields[f] ??= x.message;
      else other.push(x.message);
    }
    if (where === 'form') {
      this.errors.set(fields);
      this.alert.set([p.title, ...other].join('；'));
    } else this.trackAlert.set([p.title, ...other].join('；'));
  }

  protected submit(): void {
    const body = {
      category: this.category() ?? undefined, content: this.content().trim(), anonymous: this.anonymous(),
      name: this.anonymous() ? undefined : this.name().trim() || undefined, mobile: normaliseMobile(this.mobile()) || undefined,
    };
    const lang = this.lang.lang();
    // The rules of publicComplaintSchema without zod (libs/domain light-checks.ts); the API decides.
    const problems = checkPublicComplaint(body, LIGHT_COMPLAINT_CATEGORIES);
    if (problems.length) {
      const f: Fields = {};
      for (const p of problems) f[p.field as keyof Fields] ??= fieldProblemText(lang, p);
      this.errors.set(f);
      return;
    }
    this.errors.set({});
    this.alert.set(null);
    this.busy.set(true);
    this.api.fileComplaint(this.store.marketId(), body as PublicComplaintInput).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.result.set(r);
        this.code.set(r.trackingCode);
      },
      error: (e) => {
        this.busy.set(false);
        this.fail(e, 'form');
      },
    });
  }

  protected track(): void {
    const code = this.code().trim().toUpperCase();
    this.trackError.set('');
    this.trackAlert.set(null);
    this.api.trackComplaint(code).subscribe({
      next: (s) => this.status.set(s),
      error: (e) => {
        this.status.set(null);
        if (e instanceof HttpErrorResponse && e.status === 404) this.trackError.set(this.lang.t('complaint.public.notFound'));
        else this.fail(e, 'track');
      },
    });
  }

  protected reopen(): void {
    this.api.reopenComplaint(this.code().trim().toUpperCase(), this.reopenReason().trim()).subscribe({
      next: (s) => {
        this.status.set(s);
        this.reopenReason.set('');
      },
      error: (e) => this.fail(e, 'track'),
    });
  }
}
