import type { OrganisationView } from '@linggong/domain';

/** A date picker's value as the business day it shows (the console runs in Asia/Shanghai, as the users do). */
export function dayOf(d: Date | null): string | undefined {
  if (!d) return undefined;
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
export const SEVERITY_COLORS: Record<string, string> = { minor: 'blue', major: 'orange', critical: 'red' };
export const OUTCOME_COLORS: Record<string, string> = { confirmed: 'green', unreachable: 'default', denied: 'red', differs: 'orange' };
export const RECTIFICATION_COLORS: Record<string, string> = { pending: 'orange', in_progress: 'blue', rectified: 'cyan', verified: 'green', closed: 'default' };
export type Operator = Pick<OrganisationView, 'id' | 'name'>;
