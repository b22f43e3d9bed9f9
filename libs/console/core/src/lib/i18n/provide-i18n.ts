import { isDevMode, type EnvironmentProviders, type Provider } from '@angular/core';
import { registerLocaleData } from '@angular/common';
import zh from '@angular/common/locales/zh';
import { provideTransloco } from '@jsverse/transloco';
import { LANGS } from '@linggong/domain/light';
import { TranslocoHttpLoader, storedLang } from './lang.service';

/** Transloco (zh-CN default, en); LangService.init() loads the first language. */
export function provideConsoleI18n(): (Provider | EnvironmentProviders)[] {
  registerLocaleData(zh);
  return [
    provideTransloco({
      config: {
        availableLangs: [...LANGS],
        defaultLang: storedLang(),
        fallbackLang: 'zh-CN',
        missingHandler: { useFallbackTranslation: true, logMissingKey: isDevMode() },
        reRenderOnLangChange: true,
        prodMode: !isDevMode(),
      },
      loader: TranslocoHttpLoader,
    }),
  ];
}
