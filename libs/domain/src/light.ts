/**
 * `@linggong/domain/light` (issue 17 §10): the part of the domain that pages loaded on a weak phone
 * signal need — the console's sign-in and the market's public pages — without `zod`. Nothing here may
 * import a module that uses zod (schemas.ts, jobs.ts, complaints.ts …): one zod schema on such a page
 * loads ≈ 450 kB. Their forms check with light-checks.ts; the API's schemas decide. The full barrel
 * `@linggong/domain` exports the same names.
 */
export * from './lib/lang';
export * from './lib/privacy';
export * from './lib/occupations';
export * from './lib/text-rules';
export * from './lib/light-checks';
export type * from './lib/views';
export type { BoardApplicationResult, BoardPage, BoardPostView, PushPageView } from './lib/board';
export type { GateCodeView, PlacementStatus, PublicCheckInResult, PublicMarketView, PublicPostView } from './lib/jobs';
export type { ComplaintCategory, PublicComplaintInput, PublicComplaintResult, PublicComplaintStatus } from './lib/complaints';
export type { LoginInput } from './lib/schemas';
export type { Action, SubjectName, TaggedSubject, AppAbility } from './lib/abilities';
export { isChallenge } from './lib/views';
/** Public complaint categories (complaints.ts COMPLAINT_CATEGORIES, kept equal by light-checks.spec.ts). */
export const LIGHT_COMPLAINT_CATEGORIES = ['wage_arrears', 'fake_post', 'illegal_fee', 'discrimination', 'staff_conduct', 'safety', 'dispute', 'other'] as const;
/** A six-digit authenticator code (schemas.ts TOTP_CODE_RE). */
export const LIGHT_TOTP_CODE_RE = /^\d{6}$/;
