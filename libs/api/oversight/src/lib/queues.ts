/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const OVERSIGHT_ESCALATION_QUEUE = 'oversight-escalation';
