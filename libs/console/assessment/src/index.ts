export { ASSESSMENT_CONSOLE } from './lib/assessment.context';
