import { defineContext } from '@linggong/api-core';
import { DirectoryCoreModule, DirectoryModule } from './directory.module';
import { Directory1763804600000 } from './migrations/1763804600000-directory';
import { FreezeDirectoryJob } from './freeze.job';
import { DIRECTORY_QUEUE } from './queues';

/** What the apps wire for the directory context (issue 14 §1–2; docs/architecture.md "Adding a context"). */
export const DIRECTORY_CONTEXT = defineContext({
  name: 'directory',
  api: DirectoryModule,
  worker: DirectoryCoreModule,
  migrations: [Directory1763804600000],
  tenantTables: ['directory_listings'],
  queues: [DIRECTORY_QUEUE],
  jobs: [FreezeDirectoryJob],
  schedules: [
    {
      // 06:00 Asia/Shanghai on the first day of each quarter, after the night's closes and the 04:30 analytics
      // catch-up rolled the quarter's last day: freeze the quarter just ended (003 (十): updated every quarter).
      queue: DIRECTORY_QUEUE, id: 'directory-freeze-quarterly', repeat: { pattern: '0 6 1 1,4,7,10 *', tz: 'Asia/Shanghai' },
      name: 'quarter-end', data: {}, opts: { removeOnComplete: 20, removeOnFail: 100, attempts: 3 },
    },
  ],
  // After a Redis loss or a restart the freeze runs once more: a quarter already frozen is left alone.
  bootJobs: [{ queue: DIRECTORY_QUEUE, name: 'quarter-end', data: {}, idPrefix: 'directory-quarter-end' }],
});
