export { AUDIT_CONSOLE } from './lib/audit.context';
