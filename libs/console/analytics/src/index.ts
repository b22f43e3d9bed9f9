export { ANALYTICS_CONSOLE } from './lib/analytics.context';
