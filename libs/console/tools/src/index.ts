export { TOOLS_CONSOLE } from './lib/tools.context';
