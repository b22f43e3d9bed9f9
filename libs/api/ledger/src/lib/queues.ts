/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const LEDGER_CLOSE_QUEUE = 'ledger-close';
export const LEDGER_VERIFY_QUEUE = 'ledger-verify';
