import { DOCUMENT, Injectable, inject, signal } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { TranslocoService, type Translation, type TranslocoLoader } from '@jsverse/transloco';
import { firstValueFrom, type Observable } from 'rxjs';
import { LANGS, type Lang } from '@linggong/domain/light';

const STORAGE_KEY = 'lg.lang';

/** The language the user chose last time on this browser; Chinese first (STYLE.md "Words"). */
export function storedLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return (LANGS as readonly string[]).includes(v ?? '') ? (v as Lang) : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Translations are static JSON served beside the console (apps/console/public/i18n). */
@Injectable({ providedIn: 'root' })
export class TranslocoHttpLoader implements TranslocoLoader {
  private readonly http = inject(HttpClient);
  getTranslation(lang: string): Observable<Translation> {
    return this.http.get<Translation>(`/i18n/${lang}.json`);
  }
}

/**
 * One place that switches Transloco and <html lang> together (ng-zorro's locale follows it inside the
 * signed-in shell: provideNzLocale, so the public pages load no ng-zorro i18n or date-fns).
 */
@Injectable({ providedIn: 'root' })
export class LangService {
  private readonly transloco = inject(TranslocoService);
  private readonly document = inject(DOCUMENT);
  private readonly current = signal<Lang>(storedLang());
  readonly lang = this.current.asReadonly();

  /** Load the stored language's translations before the first render (no flash of keys). */
  async init(): Promise<void> {
    await this.use(this.current());
  }

  async use(lang: Lang): Promise<void> {
    await firstValueFrom(this.transloco.load(lang));
    this.transloco.setActiveLang(lang);
    this.document.documentElement.lang = lang;
    this.current.set(lang);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }

  /** The current language's translations whose keys start with `prefix`, as [key, text] pairs (loaded ones only). */
  entries(prefix: string): [string, string][] {
    return Object.entries(this.transloco.getTranslation(this.current()))
      .filter((e): e is [string, string] => e[0].startsWith(prefix) && typeof e[1] === 'string');
  }

  /** Translate now, for messages built in code. */
  t(key: string, params?: Record<string, unknown>): string {
    return this.transloco.translate(key, params);
  }
}
