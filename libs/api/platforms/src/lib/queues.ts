/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const WEBHOOK_SCAN_QUEUE = 'platform-webhook-scan';
export const WEBHOOK_DELIVER_QUEUE = 'platform-webhook-deliver';
