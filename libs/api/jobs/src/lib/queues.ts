/** The BullMQ queues this context owns (its context declaration registers them with the worker). */
export const POSTS_EXPIRE_QUEUE = 'posts-expire';
/** Job push (issue 18 §2): one job per published post, id `push.<postId>`, run by the worker. */
export const POSTS_PUSH_QUEUE = 'posts-push';
