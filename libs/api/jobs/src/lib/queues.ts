/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const POSTS_EXPIRE_QUEUE = 'posts-expire';
