export { PLATFORMS_CONSOLE } from './lib/platforms.context';
