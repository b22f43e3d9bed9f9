export { EventsCoreModule, EventsModule } from './lib/events.module';
export { EventsService } from './lib/events.service';
export { Events1763801010000 } from './lib/migrations/1763801010000-events';
export { EventPostOnce1763801030000 } from './lib/migrations/1763801030000-event-post-once';
export { EVENTS_CONTEXT } from './lib/events.context';
