import { scopeColumns, type ScopeRow } from '@linggong/api-core';
import type { EventView } from '@linggong/domain';

/** The events context's table as the driver returns it (api-core `rows.ts` says how types map). */
export interface MarketEventRow extends ScopeRow {
  id: string; kind: EventView['kind']; title: string; starts_at: Date; ends_at: Date; place: string; stream_url: string | null;
  organiser: string; note: string; status: EventView['status']; status_reason: string | null; status_at: Date | null; status_by: string | null;
  workers: number | null; employers: number | null; viewers: number | null; attendance_at: Date | null; created_by: string | null; created_at: Date;
}
/** `EVENT_SELECT`: an event with its market's name and its post and hire counts. */
export interface EventViewRow extends MarketEventRow { market_name: string | null; post_count: number; hire_count: number }
/** A linked post as the detail lists it (the 即时快招 read model). */
export interface EventPostRow { id: string; title: string; occupation: string; headcount: number; status: string; employer_name: string; hires: number }

/** market_events and market_event_posts carry the market's scope (CASL subject `MarketEvent`). */
export const EVENT_ACCESS = scopeColumns;
