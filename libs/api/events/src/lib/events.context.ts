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
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    employers: 'employer names of the posts linked to an event',
    markets: 'market name and region in event lists, filtered in SQL',
    placements: 'hires counted read-only from the placements of linked posts (R-B13)',
    posts: "linking the tenant's posts to an event and listing them",
  },
});
