export { DirectoryCoreModule, DirectoryModule } from './lib/directory.module';
export { DirectoryService } from './lib/directory.service';
export { DirectoryFreezeService } from './lib/freeze.service';
export { DirectoryPublicService } from './lib/public.service';
export { FreezeDirectoryJob } from './lib/freeze.job';
export { DIRECTORY_QUEUE } from './lib/queues';
export { Directory1763804600000 } from './lib/migrations/1763804600000-directory';
export { DIRECTORY_CONTEXT } from './lib/directory.context';
