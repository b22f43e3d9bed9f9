/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const ASSISTANCE_TIERS_QUEUE = 'assistance-tiers';
