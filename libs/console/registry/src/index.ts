export { REGISTRY_CONSOLE } from './lib/registry.context';
