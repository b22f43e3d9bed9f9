import { inject, provideAppInitializer, type EnvironmentProviders } from '@angular/core';
import { AuthService, LangService } from '@linggong/console-core';

/**
 * Runs once before the first route: the user's language (so no untranslated keys flash) and the
 * current session, if the browser has one (/auth/me answers 401 otherwise). The CASL rules come
 * with /auth/me; the menu is derived from them in the shell.
 */
export function provideStartup(): EnvironmentProviders {
  return provideAppInitializer(async () => {
    const lang = inject(LangService);
    const auth = inject(AuthService);
    await Promise.all([lang.init(), auth.loadMe()]);
  });
}
