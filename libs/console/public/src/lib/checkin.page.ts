import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LgIcon } from '@linggong/console-ui/light';
import {
  LIGHT_MESSAGES, OCCUPATIONS, checkPublicCheckIn, fieldProblemText, normaliseMobile, type PublicCheckInResult,
} from '@linggong/domain/light';
import { LangService, problemOf } from '@linggong/console-core';
import { PublicApi } from './public.api';
import { PublicMarketStore } from './public-market.store';

/** This phone's number and name, kept on the phone only so the next visit is the gate code and one tap. */
const MOBILE_KEY = 'lg.public.mobile';
const NAME_KEY = 'lg.public.name';
const MAX_OCCUPATIONS = 5;

type Step = 'phone' | 'register' | 'done';
type Fields = Partial<Record<'mobile' | 'name' | 'occupations' | 'consent' | 'gateCode', string>>;
const FIELDS: (keyof Fields)[] = ['mobile', 'name', 'occupations', 'consent', 'gateCode'];

function readStored(key = MOBILE_KEY): string {
  try {
    return globalThis.localStorage?.getItem(key) ?? '';
  } catch {
    return '';
  }
}
function writeStored(v: string | null, key = MOBILE_KEY): void {
  try {
    if (v) globalThis.localStorage?.setItem(key, v);
    else globalThis.localStorage?.removeItem(key);
  } catch {
    /* private mode: nothing is remembered */
  }
}

/**
 * `/m/:marketId/checkin` — reached by scanning the QR at the gate (R-B2: name and phone only, no form
 * to fill at a desk). Step 1 is the gate code shown on the screen at the gate (proof of presence, issue 12
 * §4) and the phone number; a phone used here before (its number and name remembered on the phone) is
 * checked in at once, otherwise step 2 asks for the name, what work, and consent. The server answers a
 * known and an unknown number alike, so the page never says whether a number is registered. The answer
 * is a large queue number. Built for people who may not read well: big targets, icons, a numeric keypad,
 * one question at a time.
 */
@Component({
  selector: 'lg-public-checkin',
  imports: [RouterLink, TranslocoPipe, LgIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './checkin.page.html',
  styles: [
    `h1 { font-size: 24px; margin: 4px 4px 12px; }
     .mobile-input { letter-spacing: 2px; font-variant-numeric: tabular-nums; }
     .gate-code-input { letter-spacing: 8px; font-size: 28px; font-weight: 700; font-variant-numeric: tabular-nums; }
     .remembered { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-top: 6px; }
     .phone-shown { display: flex; align-items: center; justify-content: space-between; font-size: 22px; font-weight: 600; }
     .consent { padding: 12px; border-radius: 10px; background: #f6ffed; border: 1px solid #b7eb8f; font-size: 16px; }
     .consent h3 { font-size: 18px; margin-bottom: 4px; display: flex; gap: 6px; align-items: center; }
     .consent ul { margin: 4px 0 8px; padding-left: 20px; }
     .agree { display: flex; align-items: center; gap: 12px; min-height: 56px; font-size: 20px; font-weight: 600; cursor: pointer; }
     .agree input { width: 32px; height: 32px; flex: none; accent-color: #1677ff; }
     .done { text-align: center; }
     .done > .anticon { font-size: 72px; color: #389e0d; }
     .done h2 { justify-content: center; font-size: 22px; margin: 8px 0 12px; }
     .ticket { margin: 0 auto 12px; padding: 12px 16px 16px; border: 3px dashed #1677ff; border-radius: 16px; background: #f0f7ff; }
     .ticket .label { font-size: 20px; color: #0958d9; font-weight: 600; }
     .ticket .number { font-size: 120px; line-height: 1; font-weight: 800; color: #0958d9; font-variant-numeric: tabular-nums; }`,
  ],
})
export class PublicCheckinPage {
  private readonly api = inject(PublicApi);
  private readonly lang = inject(LangService);
  protected readonly store = inject(PublicMarketStore);
  private readonly mobileInput = viewChild<ElementRef<HTMLInputElement>>('mobileInput');

  protected readonly step = signal<Step>('phone');
  protected readonly mobile = signal(readStored());
  protected readonly remembered = signal(readStored() !== '');
  protected readonly name = signal(readStored(NAME_KEY));
  protected readonly gateCode = signal('');
  protected readonly occupations = signal<string[]>([]);
  protected readonly consent = signal(false);
  protected readonly showAll = signal(false);
  protected readonly busy = signal(false);
  protected readonly errors = signal<Fields>({});
  protected readonly alert = signal<string | null>(null);
  protected readonly result = signal<PublicCheckInResult | null>(null);
  protected readonly max = MAX_OCCUPATIONS;

  /**
   * The market's common trades first (what its check-ins and posts asked for lately, then its configured
   * usual trades: `commonOccupations` from the API, issue 17 §9), in that order; the rest of the
   * dictionary on request.
   */
  protected readonly choices = computed(() => {
    const common = this.store.market()?.commonOccupations ?? this.store.market()?.occupations ?? [];
    const first = common.map((n) => OCCUPATIONS.find((o) => o.name === n)).filter((o): o is (typeof OCCUPATIONS)[number] => !!o);
    const rest = OCCUPATIONS.filter((o) => !first.includes(o));
    const shown = this.showAll() || first.length === 0 ? [...first, ...rest] : first;
    // Keep a chosen one visible even when the list is folded.
    const chosen = new Set(this.occupations());
    return [...shown, ...rest.filter((o) => chosen.has(o.name) && !shown.includes(o))];
  });
  protected readonly hasMore = computed(() => (this.store.market()?.commonOccupations ?? this.store.market()?.occupations ?? []).some((n) => OCCUPATIONS.some((o) => o.name === n)));

  protected label(o: { name: string; en: string }): string {
    return this.lang.lang() === 'en' ? o.en : o.name;
  }

  protected onMobile(v: string): void {
    this.mobile.set(v);
    this.clearError('mobile');
  }

  /** "不是我": forget the number on this phone and start again. */
  protected notMe(): void {
    writeStored(null);
    writeStored(null, NAME_KEY);
    this.remembered.set(false);
    this.mobile.set('');
    this.name.set('');
    this.consent.set(false);
    this.result.set(null);
    this.step.set('phone');
    this.errors.set({});
    this.alert.set(null);
    setTimeout(() => this.mobileInput()?.nativeElement.focus());
  }

  protected onGateCode(v: string): void {
    this.gateCode.set(v.replace(/\D/g, '').slice(0, 6));
    this.clearError('gateCode');
  }

  protected onConsent(v: boolean): void {
    this.consent.set(v);
    this.clearError('consent');
  }

  protected changePhone(): void {
    this.step.set('phone');
    this.errors.set({});
    this.alert.set(null);
  }

  protected toggle(name: string): void {
    const cur = this.occupations();
    if (cur.includes(name)) this.occupations.set(cur.filter((n) => n !== name));
    else if (cur.length < MAX_OCCUPATIONS) this.occupations.set([...cur, name]);
    this.clearError('occupations');
  }

  /** Step 1: the gate code and the number; a phone that registered here before goes straight through. */
  protected checkIn(): void {
    const mobile = normaliseMobile(this.mobile());
    this.mobile.set(mobile);
    const known = this.remembered() && readStored() === mobile && this.name().trim() !== '';
    // Check the two fields of this step with the shared schema (the others filled with valid stand-ins).
    const probe = { name: known ? this.name().trim() : '—', mobile, occupations: [], consent: true as const, gateCode: this.gateCode() };
    if (!this.check(probe)) return;
    if (!known) {
      this.step.set('register');
      return;
    }
    this.send(this.api.checkIn(this.store.marketId(), probe));
  }

  /** Step 2 (a phone not used here before): name, work wanted and consent. */
  protected register(): void {
    const mobile = normaliseMobile(this.mobile());
    const body = { name: this.name().trim(), mobile, occupations: this.occupations(), consent: this.consent(), gateCode: this.gateCode() };
    if (!this.check(body)) return;
    this.send(this.api.checkIn(this.store.marketId(), { ...body, consent: true }));
  }

  private send(req: ReturnType<PublicApi['checkIn']>): void {
    this.busy.set(true);
    this.alert.set(null);
    req.subscribe({
      next: (r) => {
        this.busy.set(false);
        this.result.set(r);
        this.step.set('done');
        writeStored(normaliseMobile(this.mobile()));
        writeStored(this.name().trim(), NAME_KEY);
        this.remembered.set(true);
        this.gateCode.set('');
        this.store.refresh();
        globalThis.scrollTo?.({ top: 0 });
      },
      error: (e: unknown) => {
        this.busy.set(false);
        const p = problemOf(e, (k, params) => this.lang.t(k, params));
        // A wrong or expired gate code: back to step 1, the message beside the code field.
        if (p.status === 403 && (p.title === LIGHT_MESSAGES['zh-CN']['gate_code_invalid'] || p.title === LIGHT_MESSAGES.en['gate_code_invalid'])) {
          this.errors.set({ gateCode: p.title });
          this.alert.set(null);
          this.step.set('phone');
          return;
        }
        // Field messages go next to their fields; anything else in the box above the form.
        const fields: Fields = {};
        const other: string[] = [];
        for (const x of p.errors ?? []) {
          const f = x.field.split('.')[0] as keyof Fields;
          if (FIELDS.includes(f)) fields[f] ??= x.message;
          else other.push(x.message);
        }
        this.errors.set(fields);
        if ((fields.mobile || fields.gateCode) && this.step() === 'register') this.step.set('phone');
        this.alert.set(Object.keys(fields).length && !other.length ? p.title : [p.title, ...other].join('；'));
      },
    });
  }

  /** Check first with the domain's light checks (the rules of publicCheckInSchema, without zod), so the message appears at once and nothing is sent. */
  private check(value: Parameters<typeof checkPublicCheckIn>[0]): boolean {
    const lang = this.lang.lang();
    const problems = checkPublicCheckIn(value);
    if (!problems.length) {
      this.errors.set({});
      return true;
    }
    const fields: Fields = {};
    for (const p of problems) {
      const f = p.field as keyof Fields;
      if (f === 'name' && !this.name().trim()) fields.name ??= this.lang.t('public.checkin.nameRequired');
      else if (f === 'consent') fields.consent ??= this.lang.t('public.checkin.consentRequired');
      else fields[f] ??= fieldProblemText(lang, p);
    }
    this.errors.set(fields);
    this.alert.set(null);
    return false;
  }

  private clearError(f: keyof Fields): void {
    if (!this.errors()[f]) return;
    const next = { ...this.errors() };
    delete next[f];
    this.errors.set(next);
  }
}
