export { TRAINING_CONSOLE } from './lib/training.context';
