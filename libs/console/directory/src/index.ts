export { DIRECTORY_CONSOLE } from './lib/directory.context';
