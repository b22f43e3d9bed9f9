/**
 * "What to do now" on each role's home (issue 17 §5). Each context contributes its own items (api-core
 * `TodoSource`); the console labels them by key (`home.todo.<key>`) and links to where the work is done.
 */
export const TODO_KEYS = [
  'queue_waiting', 'posts_open_today', 'placements_to_settle', 'posts_to_review',
  'days_unsealed', 'loans_out', 'loans_overdue', 'loans_to_approve',
  'complaints_due_soon', 'complaints_overdue', 'markets_flagged', 'rectifications_overdue', 'rectifications_open', 'rectifications_to_verify',
  'assessments_self_due', 'assessments_to_review', 'assessments_review_overdue', 'assessments_to_audit', 'assessment_appeals_to_decide', 'model_lists_to_designate',
  'exit_answer_due', 'exits_to_decide', 'exits_to_start', 'handovers_to_sign', 'exit_markets_to_hand_over', 'handovers_to_complete', 'exits_to_archive',
] as const;
export type TodoKey = (typeof TODO_KEYS)[number];

export interface TodoItem {
  key: TodoKey;
  count: number;
  /** Where the work is done: a console path and its query. */
  link: string;
  query?: Record<string, string>;
  /** danger: past a deadline; warning: due or waiting on someone; info: today's ordinary work. */
  tone: 'danger' | 'warning' | 'info';
  /** The market it concerns, when the item is per market (unsealed days). */
  marketName?: string;
  /** The operator it concerns, when the item is per operator (an exit case; a handover, the outgoing operator). */
  operatorName?: string;
}
