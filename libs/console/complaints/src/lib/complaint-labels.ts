import type { ComplaintSummaryView } from '@linggong/domain';

/** Tag colours of a complaint's deadline state (限时办结). */
export const DUE_COLOUR: Record<ComplaintSummaryView['dueState'], string> = {
  on_time: 'blue', due_soon: 'orange', overdue: 'red', closed_on_time: 'green', closed_late: 'volcano',
};
