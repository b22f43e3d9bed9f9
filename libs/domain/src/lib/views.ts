import type { OrgKind, Role } from './roles';
import type { MarketStatus, MarketType, OperatingMode, OperatingNature } from './market';
import type { RawRuleOf } from '@casl/ability';
import type { AppAbility } from './abilities';

/** Response shapes of the API, shared with the console. */
export interface RegionView { code: string; name: string; level: 'province' | 'city' | 'county'; parentCode: string | null; fullName: string }

export interface OrganisationView {
  id: string; kind: OrgKind; name: string; regionCode: string; regionName: string | null;
  creditCode: string | null; contactName: string | null; contactPhone: string | null;
  status: 'active' | 'exiting' | 'exited'; marketCount: number; createdAt: string;
}

export interface UserView {
  id: string; username: string; displayName: string; orgId: string; orgName: string; orgKind: OrgKind;
  tenantId: string | null; roles: Role[]; marketIds: string[]; phone: string | null;
  status: 'active' | 'disabled'; lockedUntil: string | null; lastLoginAt: string | null; createdAt: string;
  /** Whether the user has a second factor (TOTP) enrolled. */
  secondFactor: boolean;
}

export interface MarketContact { name: string; phone: string; title?: string }
export interface MarketView {
  id: string; name: string; type: MarketType; nature: OperatingNature; mode: OperatingMode; status: MarketStatus;
  regionCode: string; regionName: string | null; operatorId: string | null; operatorName: string | null;
  address: string | null; longitude: number | null; latitude: number | null; openingHours: string | null;
  contacts: MarketContact[]; hotline: string | null; occupations: string[]; createdAt: string; updatedAt: string;
}

export interface AuditEventView {
  id: string; occurredAt: string; actorUserId: string | null; actorUsername: string | null; actorOrgId: string | null;
  tenantId: string | null; regionCode: string | null;
  /** The action's name today (a business fact's name: docs/glossary.md); `recordedAction` is what the row holds. */
  action: string; recordedAction: string;
  subjectType: string | null; subjectId: string | null;
  /**
   * Who acted, by display name (every actor, authority users too) and organisation, and the subject by
   * name, from the contexts that own them (issue 17 §4); null where no context names it.
   */
  actorName: string | null; actorOrgName: string | null; subjectName: string | null;
  summary: Record<string, unknown>; ip: string | null; userAgent: string | null; requestId: string | null;
}

export interface Me {
  id: string; username: string; displayName: string; roles: Role[];
  org: { id: string; kind: OrgKind; name: string; regionCode: string; status: 'active' | 'exiting' | 'exited' };
  tenantId: string | null; regionPrefix: string | null; marketIds: string[];
  /** CASL rules from defineAbilityFor, packed for the console. */
  rules: RawRuleOf<AppAbility>[];
  csrfToken: string; sessionExpiresAt: string;
}

export interface LoginResult { token: string; csrfToken: string; expiresAt: string; user: Me }

/** What an authenticator app needs: the base32 secret (typed by hand), its otpauth:// URI and that URI as a QR code. */
export interface TotpEnrolment { secret: string; otpauthUri: string; qrDataUrl: string }
/**
 * The answer to a right password when a second factor is due: no session yet, a short-lived
 * challenge to complete with a code (`totp`) or, for a user who must have one and has none, with the
 * first code of a new enrolment (`enrol`).
 */
export interface SecondFactorChallenge {
  secondFactor: 'totp' | 'enrol';
  challenge: string;
  expiresAt: string;
  enrolment?: TotpEnrolment;
}
export type LoginResponse = LoginResult | SecondFactorChallenge;
export const isChallenge = (r: LoginResponse): r is SecondFactorChallenge => 'challenge' in r;
/** Recovery codes are shown once, when made. */
export interface RecoveryCodes { recoveryCodes: string[] }
export interface SecondFactorStatus { enrolled: boolean; required: boolean; enrolledAt: string | null; recoveryCodesLeft: number }

export interface Overview {
  scope: { kind: OrgKind; regionCode: string | null; regionName: string | null; tenantId: string | null };
  totals: { operators: number; markets: number; openMarkets: number; users: number };
  marketsByStatus: { status: MarketStatus; count: number }[];
  marketsByCounty: { regionCode: string; regionName: string | null; count: number }[];
  operators: { id: string; name: string; status: 'active' | 'exiting' | 'exited'; marketCount: number; counties: string[] }[];
  markets: { id: string; name: string; regionName: string | null; operatorName: string | null; status: MarketStatus }[];
}

export interface Problem { type: string; title: string; status: number; detail?: string; errors?: { field: string; message: string }[]; requestId?: string; [extension: string]: unknown }
