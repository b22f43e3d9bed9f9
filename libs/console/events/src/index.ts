export { EVENTS_CONSOLE } from './lib/events.context';
