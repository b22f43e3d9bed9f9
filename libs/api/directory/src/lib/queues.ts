/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const DIRECTORY_QUEUE = 'directory';
