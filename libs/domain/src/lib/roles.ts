/** Organisation kinds (DESIGN.md "Tenancy and access"; R-A1). */
export const ORG_KINDS = ['platform', 'province', 'city', 'county', 'operator'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const AUTHORITY_KINDS: readonly OrgKind[] = ['province', 'city', 'county'];

/** Roles, one per user group in DESIGN.md "Who uses it". */
export const ROLES = [
  'platform_admin',
  'province_auditor',
  'city_analyst',
  'county_reviewer',
  'operator_admin',
  'market_manager',
  'front_desk',
  'complaint_handler',
] as const;
export type Role = (typeof ROLES)[number];

/** Which organisation kinds may hold each role. */
export const ROLE_ORG_KINDS: Record<Role, readonly OrgKind[]> = {
  platform_admin: ['platform'],
  province_auditor: ['province'],
  city_analyst: ['city'],
  county_reviewer: ['county'],
  operator_admin: ['operator'],
  market_manager: ['operator'],
  front_desk: ['operator'],
  complaint_handler: ['operator', 'county'],
};

/** Roles whose holders work at named markets rather than across the tenant. */
export const MARKET_LEVEL_ROLES: readonly Role[] = ['market_manager', 'front_desk', 'complaint_handler'];

/** Roles an operator admin may grant: only operator roles, never an authority or platform role. */
export const OPERATOR_GRANTABLE_ROLES: readonly Role[] = ['operator_admin', 'market_manager', 'front_desk', 'complaint_handler'];

export function roleAllowedFor(role: Role, kind: OrgKind): boolean {
  return ROLE_ORG_KINDS[role].includes(kind);
}

/** Region code length per authority level (GB/T 2260 short form: 41, 4101, 410102). */
export const REGION_LEVEL_LENGTH: Record<'province' | 'city' | 'county', number> = { province: 2, city: 4, county: 6 };

/**
 * A second factor (TOTP) is required of authority users (province, city, county) and the platform
 * admin; operator users may enrol (issue 12, item 11).
 */
export function secondFactorRequired(orgKind: OrgKind, roles: readonly Role[]): boolean {
  return orgKind === 'province' || orgKind === 'city' || orgKind === 'county' || (orgKind === 'platform' && roles.includes('platform_admin'));
}
