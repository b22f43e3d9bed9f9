import type { OrgKind, Role } from './roles';

/**
 * Who is acting. Built once per request from the session (or by a job for system work) and passed
 * explicitly as the first argument of every service method.
 */
export interface Actor {
  userId: string;
  username: string;
  orgId: string;
  orgKind: OrgKind;
  /** The operator organisation id for operator users; undefined for authorities and the platform. */
  tenantId?: string;
  /** Region prefix for authority users ('41', '4101', '410102'); '' for the platform. */
  regionPrefix?: string;
  /** Markets a market-level user is assigned to. Empty for tenant-wide and authority users. */
  marketIds: string[];
  roles: Role[];
  /** Whether the operator organisation has exited (R-F1): its data stays, read-only. */
  readOnly?: boolean;
  /** Where the request came from, for the audit trail. */
  origin?: { ip?: string; userAgent?: string; requestId?: string };
  /** Hash of the session token, when the actor comes from a session. */
  sessionId?: string;
}

/** The actor the worker uses for system jobs (retention, cleanup). Never given to a request. */
export const SYSTEM_ACTOR: Actor = {
  userId: '00000000-0000-7000-8000-000000000000',
  username: 'system',
  orgId: '00000000-0000-7000-8000-000000000000',
  orgKind: 'platform',
  regionPrefix: '',
  marketIds: [],
  roles: ['platform_admin'],
};

/** The user id every sign-in-free public page acts as (QR registration, check-in, confirmation, complaints, training sign-in). */
export const PUBLIC_USER_ID = '00000000-0000-7000-8000-0000000000aa';

/**
 * The actor behind a sign-in-free public page of one market: no user, the market's operator as its
 * tenant, bound to that market with the front desk's rights (what the public may do there is decided
 * by the public routes, not by this role). Never given to a signed-in request.
 */
export function publicActor(tenantId: string, marketId: string): Actor {
  return { userId: PUBLIC_USER_ID, username: 'public', orgId: tenantId, orgKind: 'operator', tenantId, marketIds: [marketId], roles: ['front_desk'] };
}

export function isMarketLevel(actor: Actor): boolean {
  return actor.orgKind === 'operator' && !actor.roles.includes('operator_admin');
}
