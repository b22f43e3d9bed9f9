export { ComplaintsCoreModule, ComplaintsModule } from './lib/complaints.module';
export { ComplaintsService } from './lib/complaints.service';
export { ComplaintBoardService } from './lib/complaint-board.service';
export { ComplaintDeadlinesService, type SweepResult } from './lib/complaint-deadlines.service';
export { ComplaintTimers, type TimerPayload } from './lib/complaint-timers';
export { ComplaintTimersJob } from './lib/complaint-timers.job';
export { Complaints1763800800000 } from './lib/migrations/1763800800000-complaints';
export { ComplaintEscalationDeadline1763800810000 } from './lib/migrations/1763800810000-complaint-escalation-deadline';
