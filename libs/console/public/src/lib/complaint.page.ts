import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { NzIconModule } from 'ng-zorro-antd/icon';
import {
  COMPLAINT_CATEGORIES, msg, normaliseMobile, publicComplaintSchema, zodErrorMap,
  type ComplaintCategory, type PublicComplaintResult, type PublicComplaintStatus,
} from '@linggong/domain';
import { LangService, ProblemService } from '@linggong/console-core';
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
  imports: [RouterLink, TranslocoPipe, NzIconModule],
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
  private readonly problems = inject(ProblemService);

  protected readonly categories = COMPLAINT_CATEGORIES;
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

  protected submit(): void {
    const body = {
      category: this.category() ?? undefined, content: this.content().trim(), anonymous: this.anonymous(),
      name: this.anonymous() ? undefined : this.name().trim() || undefined, mobile: normaliseMobile(this.mobile()) || undefined,
    };
    const lang = this.lang.lang();
    const parsed = publicComplaintSchema.safeParse(body, { error: zodErrorMap(lang) });
    if (!parsed.success) {
      const f: Fields = {};
      for (const i of parsed.error.issues) f[String(i.path[0]) as keyof Fields] ??= msg(lang, i.message);
      this.errors.set(f);
      return;
    }
    this.errors.set({});
    this.busy.set(true);
    this.api.fileComplaint(this.store.marketId(), parsed.data).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.result.set(r);
        this.code.set(r.trackingCode);
      },
      error: (e) => {
        this.busy.set(false);
        this.problems.handle(e);
      },
    });
  }

  protected track(): void {
    const code = this.code().trim().toUpperCase();
    this.trackError.set('');
    this.api.trackComplaint(code).subscribe({
      next: (s) => this.status.set(s),
      error: (e) => {
        this.status.set(null);
        if (e instanceof HttpErrorResponse && e.status === 404) this.trackError.set(this.lang.t('complaint.public.notFound'));
        else this.problems.handle(e);
      },
    });
  }

  protected reopen(): void {
    this.api.reopenComplaint(this.code().trim().toUpperCase(), this.reopenReason().trim()).subscribe({
      next: (s) => {
        this.status.set(s);
        this.reopenReason.set('');
      },
      error: (e) => this.problems.handle(e),
    });
  }
}
