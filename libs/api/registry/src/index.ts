export { RegistryCoreModule, RegistryModule } from './lib/registry.module';
export { RegistryDirectoryService, type DisplayName, type EmployerFacts, type WorkerFacts, type WorkerEvent, type WorkerWaiting } from './lib/registry-directory.service';
export { WorkersService } from './lib/workers.service';
export { Registry1763800600000 } from './lib/migrations/1763800600000-registry';
export { EmployersService } from './lib/employers.service';
export { Employers1763800610000 } from './lib/migrations/1763800610000-employers';
export { REGISTRY_CONTEXT } from './lib/registry.context';
export { EmployerIndustry1763804700000 } from './lib/migrations/1763804700000-employer-industry';
export { WorkerJobPush1763805800000 } from './lib/migrations/1763805800000-job-push';
