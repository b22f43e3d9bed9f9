export { TrainingCoreModule, TrainingModule } from './lib/training.module';
export { TrainingService, subsidyReasons } from './lib/training.service';
export { Training1763801000000 } from './lib/migrations/1763801000000-training';
export { TrainingSessionColumns1763801020000 } from './lib/migrations/1763801020000-training-session-columns';
export { TRAINING_CONTEXT } from './lib/training.context';
