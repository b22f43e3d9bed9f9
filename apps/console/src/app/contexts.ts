import type { ConsoleContext } from '@linggong/console-core';
import { HOME_CONSOLE } from '@linggong/console-home';
import { TENANCY_CONSOLE } from '@linggong/console-tenancy';
import { ANALYTICS_CONSOLE } from '@linggong/console-analytics';
import { MARKETS_CONSOLE } from '@linggong/console-markets';
import { JOBS_CONSOLE } from '@linggong/console-jobs';
import { REGISTRY_CONSOLE } from '@linggong/console-registry';
import { COMPLAINTS_CONSOLE } from '@linggong/console-complaints';
import { TOOLS_CONSOLE } from '@linggong/console-tools';
import { TRAINING_CONSOLE } from '@linggong/console-training';
import { EVENTS_CONSOLE } from '@linggong/console-events';
import { ASSISTANCE_CONSOLE } from '@linggong/console-assistance';
import { LEDGER_CONSOLE } from '@linggong/console-ledger';
import { AUDIT_CONSOLE } from '@linggong/console-audit';
import { PUBLIC_CONSOLE } from '@linggong/console-public';
import { REPORTS_CONSOLE } from '@linggong/console-reports';
import { DIRECTORY_CONSOLE } from '@linggong/console-directory';
import { OVERSIGHT_CONSOLE } from '@linggong/console-oversight';
import { ASSESSMENT_CONSOLE } from '@linggong/console-assessment';
import { PLATFORMS_CONSOLE } from '@linggong/console-platforms';

/**
 * Every console context, once (issue 11 §4): routes, public routes, menu entries and menu icons come
 * from each lib's declaration (`libs/console/<ctx>/src/lib/<ctx>.context.ts`). Adding a context adds a
 * line here; the shell and the routes hold no per-context lists.
 */
export const CONSOLE_CONTEXT_LIST: readonly ConsoleContext[] = [
  HOME_CONSOLE, TENANCY_CONSOLE, ANALYTICS_CONSOLE, MARKETS_CONSOLE, JOBS_CONSOLE, REGISTRY_CONSOLE, COMPLAINTS_CONSOLE,
  TOOLS_CONSOLE, TRAINING_CONSOLE, EVENTS_CONSOLE, ASSISTANCE_CONSOLE, LEDGER_CONSOLE, AUDIT_CONSOLE, PUBLIC_CONSOLE, REPORTS_CONSOLE,
  DIRECTORY_CONSOLE, OVERSIGHT_CONSOLE, ASSESSMENT_CONSOLE, PLATFORMS_CONSOLE,
];
