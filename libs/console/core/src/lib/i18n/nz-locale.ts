import { effect, inject, provideEnvironmentInitializer, type EnvironmentProviders } from '@angular/core';
import { NzI18nService, en_US, zh_CN } from 'ng-zorro-antd/i18n';
import { LangService } from './lang.service';

/**
 * ng-zorro's locale (its date pickers, pagination, empty states) following LangService, provided on the
 * signed-in shell's route: ng-zorro i18n brings date-fns, which no public page needs (issue 17 §10).
 */
export function provideNzLocale(): EnvironmentProviders {
  return provideEnvironmentInitializer(() => {
    const nz = inject(NzI18nService);
    const lang = inject(LangService);
    effect(() => nz.setLocale(lang.lang() === 'en' ? en_US : zh_CN));
  });
}
