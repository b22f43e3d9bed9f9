import { canGuard, type ConsoleContext } from '@linggong/console-core';

/** What the console wires for the assessment context (issue 15): cycles and workspaces, templates, contracts, results. */
export const ASSESSMENT_CONSOLE: ConsoleContext = {
  name: 'assessment',
  routes: [
    { path: 'assessment', canMatch: [canGuard('read', 'Assessment')], loadChildren: () => import('./assessment.routes').then((m) => m.ASSESSMENT_ROUTES) },
  ],
  menu: [
    { key: 'menu.assessment', icon: 'audit', link: '/assessment', testId: 'menu-assessment', order: 37, exact: true, visible: (a) => a.can('read', 'Assessment') },
    { key: 'menu.assessmentTemplates', icon: 'partition', link: '/assessment/templates', testId: 'menu-assessment-templates', order: 38, visible: (a) => a.can('create', 'AssessmentTemplate') },
    { key: 'menu.contracts', icon: 'container', link: '/assessment/contracts', testId: 'menu-contracts', order: 39, visible: (a) => a.can('read', 'Contract') },
    { key: 'menu.modelMarkets', icon: 'trophy', link: '/assessment/model-markets', testId: 'menu-model-markets', order: 39.5, visible: (a) => a.can('read', 'ModelMarket') },
  ],
  icons: () => import('./menu-icons').then((m) => m.MENU_ICONS),
};
