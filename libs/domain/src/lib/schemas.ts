import { z } from 'zod';
import { line, nameText, plain } from './text';
import { ORG_KINDS, ROLES, MARKET_LEVEL_ROLES } from './roles';
import { MARKET_TYPES, OPERATING_NATURES, OPERATING_MODES, MARKET_STATUSES, marketNameProblem } from './market';
import { MOBILE_RE } from './privacy';
import { regionLevel } from './region';

/**
 * Input schemas shared by the API (validation) and the console (forms). Custom messages are keys of
 * MESSAGES in i18n.ts; the API translates them into the caller's language.
 */
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: 'bad_request' });
const mobile = z.string().regex(MOBILE_RE, { error: 'invalid_mobile' });
const regionCode = z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/);

/**
 * Password policy (OWASP ASVS 4.0.3 L2, V2.1): 12 to 128 characters (V2.1.1, V2.1.2), no composition
 * rules (V2.1.9), not containing the username. The API also refuses common and breached passwords
 * (V2.1.7) with a list too large for the console bundle (api-identity PasswordService.problem).
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
export function passwordProblem(password: string, username?: string): string | null {
  if ([...password].length < PASSWORD_MIN || [...password].length > PASSWORD_MAX) return 'password_policy';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'password_contains_username';
  return null;
}

export const loginSchema = z.strictObject({
  username: line(1, 64),
  password: plain().min(1).max(128),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const changePasswordSchema = z.strictObject({
  currentPassword: plain().min(1).max(128),
  newPassword: plain().min(1).max(128),
});

/** A six-digit TOTP code (RFC 6238), or a recovery code (letters and digits, dashes and spaces ignored). */
export const TOTP_CODE_RE = /^\d{6}$/;
const totpCode = z.string().trim().regex(TOTP_CODE_RE, { error: 'totp_code_format' });
export const secondFactorSchema = z.strictObject({
  challenge: z.string().regex(/^[\w-]{20,100}$/, { error: 'second_factor_expired' }),
  code: totpCode.optional(),
  recoveryCode: z.string().trim().min(8).max(40).regex(/^[A-Za-z0-9 -]+$/, { error: 'recovery_code_format' }).optional(),
}).refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), { path: ['code'], message: 'totp_code_format' });
export type SecondFactorInput = z.infer<typeof secondFactorSchema>;
export const enrolSecondFactorSchema = z.strictObject({
  challenge: z.string().regex(/^[\w-]{20,100}$/, { error: 'second_factor_expired' }),
  code: totpCode,
});
export const totpCodeSchema = z.strictObject({ code: totpCode });

export const listQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  sort: z.string().regex(/^-?[a-zA-Z]{1,40}$/, { error: 'sort_unknown' }).optional(),
  q: line(0, 100).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;
export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export const ORG_STATUSES = ['active', 'exited'] as const;
/**
 * An operator's lifecycle (R-F1, issue 16 §4): active → exiting (no new business, handover work) → exited (archived:
 * read-only for good). Only an exit case moves an operator into 'exiting'; the platform admin's switch sets the other two.
 */
export const ORG_LIFECYCLE = ['active', 'exiting', 'exited'] as const;
export type OrgStatus = (typeof ORG_LIFECYCLE)[number];
export const createOrganisationSchema = z
  .strictObject({
    kind: z.enum(ORG_KINDS),
    name: nameText(2, 100),
    regionCode: regionCode,
    creditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/).optional(),
    contactName: nameText(1, 50).optional(),
    contactPhone: mobile.optional(),
  })
  .superRefine((v, ctx) => {
    const level = regionLevel(v.regionCode);
    const expected = v.kind === 'province' || v.kind === 'city' || v.kind === 'county' ? v.kind : undefined;
    if (expected && level !== expected) ctx.addIssue({ code: 'custom', path: ['regionCode'], message: 'org_kind_region' });
  });
export const updateOrganisationSchema = z.strictObject({
  name: nameText(2, 100).optional(),
  contactName: nameText(1, 50).optional(),
  contactPhone: mobile.optional(),
  status: z.enum(ORG_STATUSES).optional(),
});
export const organisationQuerySchema = listQuerySchema.extend({
  kind: z.enum(ORG_KINDS).optional(),
  regionCode: regionCode.optional(),
});

export const USER_STATUSES = ['active', 'disabled'] as const;
const rolesField = z.array(z.enum(ROLES)).min(1).max(ROLES.length);
const marketIdsField = z.array(uuid).max(200);
/** Market managers, front-desk staff and complaint handlers of an operator work at named markets. */
export function missingMarkets(roles: readonly string[], marketIds: readonly string[]): boolean {
  return roles.length > 0 && roles.every((r) => (MARKET_LEVEL_ROLES as readonly string[]).includes(r)) && marketIds.length === 0;
}
export const createUserSchema = z
  .strictObject({
    username: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/),
    displayName: nameText(1, 50),
    phone: mobile.optional(),
    password: plain().min(1).max(128),
    orgId: uuid,
    roles: rolesField,
    marketIds: marketIdsField.default([]),
  })
  .superRefine((v, ctx) => {
    const p = passwordProblem(v.password, v.username);
    if (p) ctx.addIssue({ code: 'custom', path: ['password'], message: p });
  });
export type CreateUserInput = z.infer<typeof createUserSchema>;
export const updateUserSchema = z.strictObject({
  displayName: nameText(1, 50).optional(),
  phone: mobile.nullable().optional(),
  roles: rolesField.optional(),
  marketIds: marketIdsField.optional(),
  status: z.enum(USER_STATUSES).optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;
export const userQuerySchema = listQuerySchema.extend({ orgId: uuid.optional(), role: z.enum(ROLES).optional() });

const contact = z.strictObject({ name: nameText(1, 30), phone: z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/), title: nameText(1, 30).optional() });
export const marketOperationsSchema = z.strictObject({
  address: line(4, 200).optional(),
  // China's extent, roughly: a market outside it is a typing mistake.
  longitude: z.number().min(73).max(136).optional(),
  latitude: z.number().min(3).max(54).optional(),
  openingHours: line(1, 100).optional(),
  contacts: z.array(contact).max(10).optional(),
  hotline: z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|12333|12345)$/).optional(),
  occupations: z.array(line(1, 30)).max(60).optional(),
});
export type MarketOperationsInput = z.infer<typeof marketOperationsSchema>;

const registrationBase = {
  name: nameText(4, 60),
  type: z.enum(MARKET_TYPES),
  nature: z.enum(OPERATING_NATURES),
  mode: z.enum(OPERATING_MODES),
  regionCode: z.string().regex(/^\d{6}$/, { error: 'region_must_be_county' }),
  operatorId: uuid.nullable(),
  status: z.enum(MARKET_STATUSES),
};
function checkName(v: { name?: string; type?: (typeof MARKET_TYPES)[number] }, ctx: z.RefinementCtx) {
  if (v.name === undefined) return;
  const problem = marketNameProblem(v.name, v.type ?? 'comprehensive');
  if (problem) ctx.addIssue({ code: 'custom', path: ['name'], message: `market_name_${problem}` });
}
export const registerMarketSchema = z
  .strictObject({ ...registrationBase, status: registrationBase.status.default('preparing'), operatorId: registrationBase.operatorId.default(null) })
  .extend(marketOperationsSchema.shape)
  .superRefine(checkName);
export type RegisterMarketInput = z.infer<typeof registerMarketSchema>;
export const updateMarketRegistrationSchema = z
  .strictObject({
    name: registrationBase.name.optional(),
    type: registrationBase.type.optional(),
    nature: registrationBase.nature.optional(),
    mode: registrationBase.mode.optional(),
    operatorId: registrationBase.operatorId.optional(),
    status: registrationBase.status.optional(),
  })
  .superRefine(checkName);
export type UpdateMarketRegistrationInput = z.infer<typeof updateMarketRegistrationSchema>;
export const marketQuerySchema = listQuerySchema.extend({
  regionCode: regionCode.optional(),
  operatorId: uuid.optional(),
  status: z.enum(MARKET_STATUSES).optional(),
});

export const auditQuerySchema = listQuerySchema.extend({
  action: plain().max(60).optional(),
  subjectType: plain().max(40).optional(),
  subjectId: plain().max(64).optional(),
  actorUserId: uuid.optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

export const regionQuerySchema = z.object({ parent: regionCode.optional() });
