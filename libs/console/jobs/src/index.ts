export { JOBS_CONSOLE } from './lib/jobs.context';
