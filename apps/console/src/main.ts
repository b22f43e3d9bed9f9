import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';

// The console runs under a Content-Security-Policy without 'unsafe-eval' (issue 12 §7): zod must not
// probe `new Function` for its JIT (the probe alone is a CSP violation), so it parses without it.
// zod 4 keeps its config on globalThis.__zod_globalConfig (what `z.config({ jitless: true })` writes);
// set here, before any lazy chunk loads zod, without pulling zod into the initial bundle.
(globalThis as { __zod_globalConfig?: { jitless?: boolean } }).__zod_globalConfig = { jitless: true };

bootstrapApplication(App, appConfig).catch((err) =>
  console.error(err)
);
