import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import { checkBoardApplication, fieldProblemText, normaliseMobile, type BoardApplicationResult, type BoardPostView, type Lang } from '@linggong/domain/light';
import { LangService, problemOf } from '@linggong/console-core';
import { startLabel, telHref, yuan } from '../format';
import { BoardApi } from './board.api';

/**
 * One post of the job board and 应聘报名 (issue 18 §1; R-G12): the post, its market and employer, then name, mobile
 * and the consent notice — a registered number applies, a new one is registered at the post's market — and the
 * opt-in to job push. The answer is the same for both; the market's desk calls back. A hidden field catches bots.
 */
@Component({
  selector: 'lg-board-post',
  imports: [RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './board.styles.css',
  template: `
    <a routerLink="/board" class="lg-pub-link" data-testid="board-back"><lg-icon type="arrow-left" /> {{ 'public.board.back' | transloco }}</a>
    @if (missing()) {
      <div class="lg-pub-card lg-pub-state" data-testid="board-post-missing"><h1>{{ 'public.board.gone' | transloco }}</h1></div>
    } @else if (post(); as p) {
      <article class="lg-pub-card board-job" data-testid="board-post-detail">
        <h1 class="board-h1">{{ p.title }} <span class="occ">{{ p.occupation }}</span></h1>
        <div class="wage"><b>{{ yuan(p.wageFen) }}</b> {{ 'public.wageUnit.' + p.wageUnit | transloco }}</div>
        <dl>
          <div><dt>{{ 'public.board.employer' | transloco }}</dt><dd>{{ p.employerName }}
            @if (p.employerVerified) { <span class="ok">{{ 'public.board.verified' | transloco }}</span> } @else { <span class="warn">{{ 'public.board.unverified' | transloco }}</span> }</dd></div>
          <div><dt>{{ 'public.board.market' | transloco }}</dt><dd>{{ p.marketName }}</dd></div>
          @if (p.marketAddress) { <div><dt>{{ 'public.board.address' | transloco }}</dt><dd>{{ p.marketAddress }}</dd></div> }
          <div><dt>{{ 'public.jobs.startLabel' | transloco }}</dt><dd>{{ start(p.startAt) }} · {{ period(p) }}</dd></div>
          <div><dt>{{ 'public.board.place' | transloco }}</dt><dd>{{ p.place }}</dd></div>
          <div><dt>{{ 'public.board.openings' | transloco }}</dt><dd>{{ 'public.jobs.openings' | transloco: { n: p.openings } }}</dd></div>
          @if (p.requirements) { <div><dt>{{ 'public.board.requirements' | transloco }}</dt><dd>{{ p.requirements }}</dd></div> }
        </dl>
        <p class="board-notice"><lg-icon type="safety-certificate" /> <span>{{ 'public.board.reviewed' | transloco }}</span></p>
      </article>

      @if (result(); as r) {
        <section class="lg-pub-card lg-pub-state" role="status" data-testid="board-applied">
          <lg-icon type="check-circle" />
          <h2>{{ 'public.board.applied' | transloco }}</h2>
          <p>{{ 'public.board.appliedHint' | transloco: { market: r.marketName } }}</p>
          @if (r.marketHotline) { <a class="lg-pub-btn lg-pub-btn-ghost" [href]="telHref(r.marketHotline)">{{ 'public.board.call' | transloco: { phone: r.marketHotline } }}</a> }
        </section>
      } @else {
        <form class="lg-pub-card" (submit)="$event.preventDefault(); apply(p)" novalidate data-testid="board-apply-form" aria-labelledby="board-apply-h">
          <h2 id="board-apply-h">{{ 'public.board.applyTitle' | transloco }}</h2>
          @if (alert()) { <div class="lg-pub-alert" role="alert" data-testid="board-apply-alert">{{ alert() }}</div> }
          <div class="lg-pub-field">
            <label for="board-mobile">{{ 'public.board.mobile' | transloco }}</label>
            <input id="board-mobile" name="mobile" class="lg-pub-input" type="tel" inputmode="numeric" autocomplete="tel" [value]="mobile()" (input)="mobile.set($any($event.target).value)"
              [class.lg-pub-invalid]="errors()['mobile']" [attr.aria-invalid]="!!errors()['mobile']" [attr.aria-describedby]="errors()['mobile'] ? 'board-mobile-err' : null" data-testid="board-mobile" />
            @if (errors()['mobile']) { <div id="board-mobile-err" class="lg-pub-error">{{ errors()['mobile'] }}</div> }
          </div>
          <div class="lg-pub-field">
            <label for="board-name">{{ 'public.board.name' | transloco }}</label>
            <input id="board-name" name="name" class="lg-pub-input" autocomplete="name" [value]="name()" (input)="name.set($any($event.target).value)"
              [class.lg-pub-invalid]="errors()['name']" [attr.aria-invalid]="!!errors()['name']" [attr.aria-describedby]="errors()['name'] ? 'board-name-err' : null" data-testid="board-name" />
            @if (errors()['name']) { <div id="board-name-err" class="lg-pub-error">{{ errors()['name'] }}</div> }
          </div>
          <!-- Left empty by people (not shown, not in the tab order); bots fill every field. -->
          <div class="board-hp" aria-hidden="true"><label for="board-website">网站</label><input id="board-website" name="website" tabindex="-1" autocomplete="off" [value]="website()" (input)="website.set($any($event.target).value)" /></div>
          <div class="board-consent">
            <p class="lg-pub-muted">{{ 'public.board.consentText' | transloco }}</p>
            <label class="board-check"><input type="checkbox" name="consent" [checked]="consent()" (change)="consent.set($any($event.target).checked)" data-testid="board-consent" /> {{ 'public.board.consent' | transloco }}</label>
            @if (errors()['consent']) { <div class="lg-pub-error">{{ errors()['consent'] }}</div> }
            <label class="board-check"><input type="checkbox" name="jobPush" [checked]="jobPush()" (change)="jobPush.set($any($event.target).checked)" data-testid="board-push" /> {{ 'public.board.pushOptIn' | transloco }}</label>
          </div>
          <button type="submit" class="lg-pub-btn" [disabled]="busy()" data-testid="board-submit"><lg-icon type="check" /> {{ 'public.board.submit' | transloco }}</button>
        </form>
      }
    }
  `,
})
export class BoardPostPage {
  private readonly api = inject(BoardApi);
  private readonly lang = inject(LangService);
  protected readonly yuan = yuan;
  protected readonly telHref = telHref;
  protected readonly post = signal<BoardPostView | null>(null);
  protected readonly missing = signal(false);
  protected readonly result = signal<BoardApplicationResult | null>(null);
  protected readonly busy = signal(false);
  protected readonly alert = signal('');
  private readonly problems = signal<Record<string, string>>({});
  protected readonly errors = computed(() => this.problems());
  // Signals bound to plain elements (no @angular/forms: a public page's JavaScript budget, issue 17 §10).
  protected readonly name = signal('');
  protected readonly mobile = signal('');
  protected readonly consent = signal(false);
  protected readonly jobPush = signal(false);
  protected readonly website = signal('');

  constructor() {
    const id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';
    this.api.post(id).subscribe({ next: (p) => this.post.set(p), error: () => this.missing.set(true) });
  }

  protected apply(p: BoardPostView): void {
    const body = { name: this.name().trim(), mobile: normaliseMobile(this.mobile()), consent: this.consent(), jobPush: this.jobPush() };
    const found = checkBoardApplication(body);
    const lang = this.lang.lang() as Lang;
    this.problems.set(Object.fromEntries(found.map((f) => [f.field, fieldProblemText(lang, f)])));
    this.alert.set('');
    if (found.length) return;
    this.busy.set(true);
    this.api.apply(p.id, { ...body, consent: true, ...(this.website() ? { website: this.website() } : {}) }).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.result.set(r);
        globalThis.scrollTo?.({ top: 0 });
      },
      error: (e: unknown) => {
        this.busy.set(false);
        const pr = problemOf(e, (k, params) => this.lang.t(k, params));
        const fields = Object.fromEntries((pr.errors ?? []).map((x) => [x.field, x.message]));
        this.problems.set(fields);
        this.alert.set(Object.keys(fields).length ? '' : pr.title);
      },
    });
  }

  protected start(iso: string): string {
    this.lang.lang();
    return startLabel(iso, (key, params) => this.lang.t(key, params));
  }

  protected period(p: BoardPostView): string {
    return p.period === 'same_day' ? this.lang.t('public.period.same_day') : this.lang.t(`public.period.${p.period}`, { n: p.periodCount });
  }
}
