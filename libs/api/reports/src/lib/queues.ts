/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const REPORTS_REMINDERS_QUEUE = 'reports-reminders';
