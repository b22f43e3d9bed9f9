import { defineContext } from '@linggong/api-core';
import { EventsModule } from './events.module';
import { Events1763801010000 } from './migrations/1763801010000-events';
import { EventPostOnce1763801030000 } from './migrations/1763801030000-event-post-once';

/** What the apps wire for the events context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const EVENTS_CONTEXT = defineContext({
  name: 'events',
  api: EventsModule,
  migrations: [Events1763801010000, EventPostOnce1763801030000],
  tenantTables: ['market_events', 'market_event_posts'],
});
