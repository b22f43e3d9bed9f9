/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const COMPLAINT_TIMERS_QUEUE = 'complaint-timers';
