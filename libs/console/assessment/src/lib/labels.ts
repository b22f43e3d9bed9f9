/** Tag colours of assessment states and grades (shared by the pages). */
export const STATE_COLOUR: Record<string, string> = {
  open: 'default', frozen: 'blue', published: 'green', self: 'gold', review: 'orange', reviewed: 'cyan', appealed: 'magenta', final: 'green',
};
export const GRADE_COLOUR: Record<string, string> = { excellent: 'green', good: 'cyan', fair: 'gold', poor: 'red' };
