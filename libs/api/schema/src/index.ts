import type { ApiContext, Schema } from '@linggong/api-core';
import { RlsHelpers1763800000000 } from '@linggong/api-core';
import { TENANCY_CONTEXT } from '@linggong/api-tenancy';
import { IDENTITY_CONTEXT } from '@linggong/api-identity';
import { AUDIT_CONTEXT } from '@linggong/api-audit';
import { MARKETS_CONTEXT } from '@linggong/api-markets';
import { LEDGER_CONTEXT } from '@linggong/api-ledger';
import { REGISTRY_CONTEXT } from '@linggong/api-registry';
import { JOBS_CONTEXT } from '@linggong/api-jobs';
import { COMPLAINTS_CONTEXT } from '@linggong/api-complaints';
import { TOOLS_CONTEXT } from '@linggong/api-tools';
import { TRAINING_CONTEXT } from '@linggong/api-training';
import { EVENTS_CONTEXT } from '@linggong/api-events';
import { ASSISTANCE_CONTEXT } from '@linggong/api-assistance';
import { ANALYTICS_CONTEXT } from '@linggong/api-analytics';
import { REPORTS_CONTEXT } from '@linggong/api-reports';
import { DIRECTORY_CONTEXT } from '@linggong/api-directory';
import { OVERSIGHT_CONTEXT } from '@linggong/api-oversight';
import { ASSESSMENT_CONTEXT } from '@linggong/api-assessment';
import { PLATFORMS_CONTEXT } from '@linggong/api-platforms';

/**
 * Every bounded context, once: the API imports their `api` modules, the worker their `worker` modules,
 * queues, jobs and schedules, `tools/db` their migrations (issue 11 §4). Adding a context adds a line here.
 */
export const CONTEXTS: readonly ApiContext[] = [
  TENANCY_CONTEXT, IDENTITY_CONTEXT, AUDIT_CONTEXT, MARKETS_CONTEXT, LEDGER_CONTEXT, REGISTRY_CONTEXT, JOBS_CONTEXT,
  COMPLAINTS_CONTEXT, TOOLS_CONTEXT, TRAINING_CONTEXT, EVENTS_CONTEXT, ASSISTANCE_CONTEXT, ANALYTICS_CONTEXT, REPORTS_CONTEXT,
  DIRECTORY_CONTEXT, OVERSIGHT_CONTEXT, ASSESSMENT_CONTEXT, PLATFORMS_CONTEXT,
];

/** Every context's entities and migrations (TypeORM runs migrations in timestamp order). */
export const SCHEMA: Schema = {
  entities: CONTEXTS.flatMap((c) => c.entities ?? []),
  migrations: [RlsHelpers1763800000000, ...CONTEXTS.flatMap((c) => c.migrations)],
};

/** Tables that carry tenant rows and must have RLS enabled and forced (checked by tests/api/rls). */
export const TENANT_TABLES: readonly string[] = CONTEXTS.flatMap((c) => c.tenantTables);
