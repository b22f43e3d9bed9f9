import type { Route } from '@angular/router';

/** Mounted at `tools` (工具租赁, R-B11): inventory, loans with approval and signature, returns, repairs, deposits. */
export const TOOL_ROUTES: Route[] = [{ path: '', loadComponent: () => import('./tools.page').then((m) => m.ToolsPage) }];
