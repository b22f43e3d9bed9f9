export { PUBLIC_CONSOLE } from './lib/public.context';
