import { defineContext } from '@linggong/api-core';
import { PlatformsModule, PlatformsCoreModule } from './platforms.module';
import { Platforms1763805700000 } from './migrations/1763805700000-platforms';
import { PlatformWebhookSeqs1763806300000 } from './migrations/1763806300000-platform-webhook-seqs';
import { WebhookDeliverJob, WebhookScanJob } from './webhook.jobs';
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_SCAN_QUEUE } from './queues';

/** What the apps wire for the platforms context (issue 18 §3–4; docs/architecture.md "Adding a context"). */
export const PLATFORMS_CONTEXT = defineContext({
  name: 'platforms',
  api: PlatformsModule,
  worker: PlatformsCoreModule,
  migrations: [Platforms1763805700000, PlatformWebhookSeqs1763806300000],
  // No tenant_id: a platform a county registers serves several operators (RLS by region, owner and market instead).
  tenantTables: [],
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services. Its migration's
  // SECURITY DEFINER functions also read markets, posts, employers and ledger_entries (the signed call's market, the
  // province feed), and the outcomes' RLS policy reads markets.
  readModels: {
    ledger_entries: 'the province feed and the webhook scan read post and hire facts across markets in one statement, by recorded time (the scan by sequence per market once it has seen a market)',
    ledger_heads: "the webhook scan reads its markets' head sequence numbers: every entry up to one has committed, so the scan moves past entries of kinds not subscribed",
    report_releases: "the webhook scan's report.accepted events: months a province released, after the platform registered",
  },
  queues: [WEBHOOK_SCAN_QUEUE, WEBHOOK_DELIVER_QUEUE],
  jobs: [WebhookScanJob, WebhookDeliverJob],
  schedules: [
    {
      // Every 10 seconds: subscribed events become deliveries, pending deliveries are queued (issue 18 §4).
      queue: WEBHOOK_SCAN_QUEUE, id: 'platform-webhook-scan-10s', repeat: { every: 10_000 },
      name: 'scan', data: {}, opts: { removeOnComplete: 50, removeOnFail: 200 },
    },
  ],
});
