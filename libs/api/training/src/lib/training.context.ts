import { defineContext } from '@linggong/api-core';
import { TrainingModule } from './training.module';
import { Training1763801000000 } from './migrations/1763801000000-training';
import { TrainingSessionColumns1763801020000 } from './migrations/1763801020000-training-session-columns';

/** What the apps wire for the training context (issue 11 §4; docs/architecture.md "Adding a context"). */
export const TRAINING_CONTEXT = defineContext({
  name: 'training',
  api: TrainingModule,
  migrations: [Training1763801000000, TrainingSessionColumns1763801020000],
  tenantTables: ['training_demands', 'training_courses', 'training_sessions', 'training_enrolments', 'training_attendance'],
});
