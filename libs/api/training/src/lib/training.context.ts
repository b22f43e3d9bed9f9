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
  // Other contexts' tables its SQL reads (tests/api/boundaries): to move behind their services.
  readModels: {
    markets: 'market names in course lists and on the public sign-in page',
    placements: "a trainee's later placements (R-B10), read-only",
    posts: "the titles and occupations of a trainee's later placements (R-B10)",
    workers: 'trainee names in enrolment and demand lists',
  },
});
