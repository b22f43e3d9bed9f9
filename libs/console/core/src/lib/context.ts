import { InjectionToken, type EnvironmentProviders, type Provider } from '@angular/core';
import type { Route } from '@angular/router';
import type { IconDefinition } from '@ant-design/icons-angular';
import { provideNzIconsPatch } from 'ng-zorro-antd/icon';
import type { AuthService } from './auth/auth.service';

/** One entry of the shell's side menu, shown when `visible(auth)` holds (the same CASL rule as its route's guard). */
export interface ConsoleMenuEntry {
  /** Transloco key of the label. */
  key: string;
  icon: string;
  link: string;
  testId: string;
  /** Position in the menu (lower first). */
  order: number;
  /** Selected only on the exact path (the home page); otherwise on the path and below. */
  exact?: boolean;
  visible: (auth: AuthService) => boolean;
}

/**
 * What a console context gives the app to wire (issue 11 §4): its routes inside the signed-in shell
 * (lazy: `loadChildren` of its own route files), its public routes outside the shell, its menu entries
 * and their icons. Declared in `libs/console/<ctx>/src/lib/<ctx>.context.ts`, the lib's only export,
 * so importing it loads no page.
 */
export interface ConsoleContext {
  name: string;
  routes?: Route[];
  publicRoutes?: Route[];
  menu?: ConsoleMenuEntry[];
  /**
   * The icons its menu entries name (pages patch in their own icons on their routes), as a loader:
   * `() => import('./menu-icons').then((m) => m.MENU_ICONS)` (a file of its own that imports them by name,
   * so the bundler keeps only those). A loader, not the
   * definitions, because the app's entry imports every context for its public routes, and that package
   * is one module: a static import here would put every icon of the console on every public page
   * (issue 17 §10). The shell's route awaits them (`loadContextIcons`).
   */
  icons?: () => Promise<IconDefinition[]>;
}

/** Every context's menu icons, loaded (the shell's lazy route awaits them before it is built). */
export async function loadContextIcons(contexts: readonly ConsoleContext[]): Promise<IconDefinition[]> {
  return (await Promise.all(contexts.map((c) => c.icons?.() ?? Promise.resolve([])))).flat();
}

export const CONSOLE_CONTEXTS = new InjectionToken<readonly ConsoleContext[]>('CONSOLE_CONTEXTS');

/**
 * The contexts for the shell's menu, with their loaded menu icons and the shell's own (one icon patch:
 * provided on the shell's lazy route, so the public pages load none of them).
 */
export function provideConsoleContexts(contexts: readonly ConsoleContext[], icons: IconDefinition[] = []): (Provider | EnvironmentProviders)[] {
  return [{ provide: CONSOLE_CONTEXTS, useValue: contexts }, provideNzIconsPatch(icons)];
}

/**
 * The shell's child routes from every context, more specific paths first (`markets/:id/ledger` before
 * `markets`), so the order contexts are listed in does not matter.
 */
export function shellRoutesOf(contexts: readonly ConsoleContext[]): Route[] {
  const depth = (r: Route) => (r.path ?? '').split('/').filter(Boolean).length;
  return contexts.flatMap((c) => c.routes ?? []).map((r, i) => ({ r, i })).sort((a, b) => depth(b.r) - depth(a.r) || a.i - b.i).map((x) => x.r);
}
