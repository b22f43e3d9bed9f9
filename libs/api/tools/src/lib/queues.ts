/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const TOOLS_RECONCILE_QUEUE = 'tools-reconcile';
