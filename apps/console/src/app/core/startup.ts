import { inject, provideAppInitializer, type EnvironmentProviders } from '@angular/core';
import { LangService } from '@linggong/console-core';

/**
 * Runs once before the first route: the user's language (so no untranslated keys flash). Whether
 * someone is signed in (/auth/me, with the CASL rules) is asked by the first guard of a signed-in page
 * (AuthService.ensureLoaded), so the public pages never call it and never log its 401 (issue 17 §9).
 */
export function provideStartup(): EnvironmentProviders {
  return provideAppInitializer(async () => {
    await inject(LangService).init();
  });
}
