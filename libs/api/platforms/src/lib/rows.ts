import type { PlatformScope, WebhookEvent } from '@linggong/domain';

/** The platforms context's tables as the driver returns them (api-core `rows.ts` says how types map). */
export interface PlatformRow {
  id: string; code: string; name: string; app_key: string; secret_enc: string; scopes: PlatformScope[]; market_ids: string[];
  owner_org_id: string; region_code: string; rate_per_minute: number; webhook_url: string | null; webhook_events: WebhookEvent[];
  status: 'active' | 'disabled'; created_by: string; created_at: Date; rotated_at: Date | null; disabled_at: Date | null;
  disabled_reason: string | null; calls: string; last_call_at: Date | null; webhook_cursor: Date;
  /** Per market, the work-log seq up to which the webhook scan has looked (migration 1763806300000). */
  webhook_seqs: Record<string, number>;
}
export interface OutcomeRow {
  id: string; platform_id: string; market_id: string; region_code: string; step: 'hire' | 'start' | 'settlement'; external_id: string;
  post_id: string | null; persons: number; amount_fen: string | null; occurred_at: Date; ledger_seq: string; created_at: Date;
}
export interface DeliveryRow {
  id: string; platform_id: string; event: WebhookEvent; event_key: string; url: string; payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'failed'; attempts: number; last_status: number | null; last_error: string | null;
  created_at: Date; last_attempt_at: Date | null; delivered_at: Date | null;
}

/** CASL `Platform` conditions → columns: the owner organisation and the region code. */
export const PLATFORM_ACCESS = (a = 'p'): Record<string, string> => ({ id: `${a}.id`, orgId: `${a}.owner_org_id`, regionCode: `${a}.region_code` });
export const platformScope = (r: Pick<PlatformRow, 'id' | 'owner_org_id' | 'region_code'>) => ({ id: r.id, orgId: r.owner_org_id, regionCode: r.region_code });
