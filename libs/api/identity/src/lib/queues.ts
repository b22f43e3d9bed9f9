/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const SESSION_CLEANUP_QUEUE = 'session-cleanup';
