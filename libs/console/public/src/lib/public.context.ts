import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the public context: routes, menu entries, menu icons (issue 11 §4). */
export const PUBLIC_CONSOLE: ConsoleContext = {
  name: 'public',
  routes: [
    // The gate screen with the rotating gate code: staff who check workers in (issue 12 §4).
    { path: 'markets/:id/gate', canMatch: [canGuard('create', 'Placement')], loadChildren: () => import('./public.routes').then((m) => m.GATE_SCREEN_ROUTES) },
    { path: 'markets/:id/qr', canMatch: [canGuard('read', 'Market')], loadChildren: () => import('./public.routes').then((m) => m.MARKET_QR_ROUTES) },
  ],
  publicRoutes: [
    // Public market pages (QR check-in, jobs, hire confirmation): no sign-in, outside the shell (issue 4 §7).
    { path: 'm/:marketId', loadChildren: () => import('./public.routes').then((m) => m.PUBLIC_ROUTES) },
    // The same pages typed without a market: the last market opened on this phone, or how to find one (issue 17 §9).
    // The province-wide job board and a worker's job-push page (issue 18 §1–2).
    { path: 'board', loadChildren: () => import('./board/board.routes').then((m) => m.BOARD_ROUTES) },
    { path: 'w/:token', loadChildren: () => import('./board/board.routes').then((m) => m.PUSH_ROUTES) },
    ...['checkin', 'jobs', 'complaint'].map((page) => ({ path: page, loadChildren: () => import('./public.routes').then((m) => m.noMarketRoutes(page)) })),
  ],
};
