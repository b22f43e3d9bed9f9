import { AbilityBuilder, createMongoAbility, type MongoAbility, type MongoQuery } from '@casl/ability';
import type { Actor } from './actor';
import { isMarketLevel } from './actor';

/**
 * CASL abilities, defined once and used by the API (route guard, object checks, list queries) and by
 * the console (menus, buttons). PostgreSQL RLS is the second, independent layer (DESIGN.md).
 */
export const ACTIONS = ['manage', 'read', 'lookup', 'create', 'update', 'register', 'operate', 'reveal', 'unlock', 'close', 'verify',
  // The market directory's chain (R-E1): the city compiles its counties' confirmed listings, the province publishes.
  'compile', 'publish'] as const;
export type Action = (typeof ACTIONS)[number];
export const SUBJECTS = ['Organisation', 'User', 'Market', 'AuditEvent', 'Region', 'Ledger', 'Worker', 'Employer', 'Post', 'Placement',
  // Complaints (issue 6); market services (issue 5): tool rental (R-B11), training (R-B10) and events (R-B13).
  'Complaint', 'ComplaintPolicy', 'Tool', 'Training', 'MarketEvent',
  // Assistance for difficult workers (R-B9) and service records (R-B12, R-B14), issue 5.
  'Assistance', 'ServiceRecord', 'AssistancePackage',
  // Figures from the sealed work log (issue 13): KPIs, drill-downs, rollup runs.
  'Analytics',
  // Monthly supply–demand reports and their chain county → city → province (issue 14, R-E3–E6).
  'SupplyDemandReport',
  // The market directory (名录, R-E1): versions, listings, the county's gathering points.
  'Directory',
  // Oversight (issue 16): call-back samples (抽查回访), rectification orders (整改), inspections and their plans (督导检查).
  'CallbackSample', 'Rectification', 'Inspection',
  // Assessment (issue 15; R-A3, R-F1, R-F2): contracts, indicator templates, cycles and their assessments, subsidy statements.
  'Contract', 'AssessmentTemplate', 'AssessmentCycle', 'Assessment',
  // Third-party platforms connected by signed calls, and their webhook deliveries (issue 18 §3–4, R-E8).
  'Platform',
  // Exit of a failing operator and the handover of its markets (issue 16 §4, R-F1).
  'ExitCase',
  // Model markets (示范零工市场, issue 15 §5, R-F4): proposals under 公示, objections, designation, revocation.
  'ModelMarket',
  'all'] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/** A subject instance for object-level checks: the subject name plus the row's scope fields. */
export interface ScopedObject {
  id?: string;
  tenantId?: string | null;
  regionCode?: string | null;
  orgId?: string | null;
  servedRegions?: string[];
  /** For 'Ledger': the market whose work log it is. */
  marketId?: string;
  /** For 'Complaint': its current first-contact owner. */
  ownerUserId?: string;
}
export type TaggedSubject = { __typename: SubjectName } & ScopedObject;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AppAbility = MongoAbility<[Action, SubjectName | TaggedSubject], MongoQuery<any>>;

function prefixQuery(prefix: string): Record<string, unknown> {
  // Only a digit prefix is ever built here; the SQL translation relies on that shape.
  return { $regex: `^${prefix}` };
}

export function defineAbilityFor(actor: Actor): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  // CASL cannot infer condition types from string subjects; conditions here are plain scope fields.
  type RuleFn = (action: Action | Action[], subject: SubjectName | SubjectName[], conditions?: Record<string, unknown>) => void;
  const can = builder.can as unknown as RuleFn;
  const cannot = builder.cannot as unknown as RuleFn;
  const build = () => builder.build({ detectSubjectType: (o: TaggedSubject) => o.__typename });
  const roles = new Set(actor.roles);

  can('read', 'Region');
  can('read', 'User', { id: actor.userId });
  can('read', 'Organisation', { id: actor.orgId });
  // Complaint time limits per province (issue 6 §3) are public rules: everyone signed in reads them.
  can('read', 'ComplaintPolicy');
  // The assistance service package per province (R-B9) is reference data every signed-in user reads.
  can('read', 'AssistancePackage');

  if (roles.has('platform_admin') && actor.orgKind === 'platform') {
    can('manage', 'all');
    return build();
  }

  if (actor.orgKind === 'province' || actor.orgKind === 'city' || actor.orgKind === 'county') {
    const region = { regionCode: prefixQuery(actor.regionPrefix ?? '\u0000') };
    // Authorities read operational data of their region; they write only what is theirs (R-A1, R-F4).
    can('read', 'Organisation', region);
    // Operators registered elsewhere that run markets in this region (one operator may serve several counties).
    can('read', 'Organisation', { servedRegions: prefixQuery(actor.regionPrefix ?? '\u0000') });
    // The operators' contact mobile is shown masked; the authority that supervises them may reveal it (audited).
    can('reveal', 'Organisation', region);
    can('reveal', 'Organisation', { servedRegions: prefixQuery(actor.regionPrefix ?? '\u0000') });
    can('read', 'Market', region);
    can('read', 'AuditEvent', region);
    can('read', 'User', { orgId: actor.orgId });
    // The work-log ledger: authorities read and verify, never append (issue 3).
    can(['read', 'verify'], 'Ledger', region);
    // KPIs and their drill-downs (issue 13, R-E3, R-F1): every authority, for its region.
    can('read', 'Analytics', region);
    // Monthly supply–demand reports (issue 14): every authority reads its region's; each level writes only its own
    // level's report (county: county_reviewer, city: city_analyst; the service also requires the report's region to be
    // the caller's own); only the province auditor accepts or returns (verify) a city's report.
    can('read', 'SupplyDemandReport', region);
    if ((actor.orgKind === 'county' && roles.has('county_reviewer')) || (actor.orgKind === 'city' && roles.has('city_analyst'))) {
      can(['create', 'update'], 'SupplyDemandReport', { regionCode: actor.regionPrefix ?? '\u0000' });
    }
    if (actor.orgKind === 'province' && roles.has('province_auditor')) can('verify', 'SupplyDemandReport', region);
    // The real-name ledger of workers (R-B3): authorities read it, masked; they do not reveal.
    can(['read', 'lookup'], 'Worker', region);
    can('read', 'Employer', region);
    // 即时快招 records: posts, check-ins and placements are the operator's KPIs; authorities read them.
    can('read', 'Post', region);
    can('read', 'Placement', region);
    // Complaints (issue 6): every authority watches its region's; the county bureau answers what is escalated to it.
    can('read', 'Complaint', region);
    if (actor.orgKind === 'county' && (roles.has('county_reviewer') || roles.has('complaint_handler'))) can('verify', 'Complaint', region);
    if (actor.orgKind === 'province' && roles.has('province_auditor')) can('update', 'ComplaintPolicy', region);
    // Tool rental (R-B11): inventory, loans, deposits and their reconciliation are read-only for authorities.
    can('read', 'Tool', region);
    // Training (R-B10) and events (R-B13) are operational records: authorities read them (subsidy checks).
    can('read', 'Training', region);
    can('read', 'MarketEvent', region);
    // Assistance plans and service records: read in the region; hardship categories are never revealed to authorities.
    can('read', 'Assistance', region);
    can('read', 'ServiceRecord', region);
    // The province sets its own service package (issue 5: configurable per province).
    if (roles.has('province_auditor')) can('update', 'AssistancePackage', region);
    // The market directory (R-E1, 000 九): every authority reads its region's versions and listings; the county
    // confirms its markets' listings or sends them back and lists gathering points with no operator (R-A2), the
    // city compiles its counties, the province publishes and freezes a version on demand. One step each: a county
    // cannot compile or publish, a city cannot confirm or publish.
    can('read', 'Directory', region);
    if (actor.orgKind === 'county' && roles.has('county_reviewer')) can(['verify', 'create', 'update'], 'Directory', region);
    if (actor.orgKind === 'city' && roles.has('city_analyst')) can('compile', 'Directory', region);
    if (actor.orgKind === 'province' && roles.has('province_auditor')) can('publish', 'Directory', region);
    // Oversight (issue 16, R-F1, R-F3, R-F5): every authority reads its region's samples, orders and inspections (the
    // city sees the orders escalated to it); the county reviewer draws samples, reveals a sampled worker's contact
    // (audited), orders rectification and verifies and closes it; county and city reviewers plan and inspect.
    can('read', ['CallbackSample', 'Rectification', 'Inspection'], region);
    if (actor.orgKind === 'county' && roles.has('county_reviewer')) {
      can(['create', 'update', 'reveal'], 'CallbackSample', region);
      can(['create', 'verify', 'close'], 'Rectification', region);
    }
    if ((actor.orgKind === 'county' && roles.has('county_reviewer')) || (actor.orgKind === 'city' && roles.has('city_analyst'))) {
      can(['create', 'update'], 'Inspection', region);
    }
    // Assessment (issue 15): every authority reads its region's contracts, cycles and assessments; the county records
    // its contracts (政府购买服务, R-A3) and reviews; the province owns the templates (cities and counties add local items
    // within its budget: 'create' on their own draft versions); the province or a county opens cycles; the city or the
    // province audits a sample (verify); an appeal is decided by a county or city user other than the reviewer (service).
    can('read', ['Contract', 'AssessmentTemplate', 'AssessmentCycle', 'Assessment'], region);
    can('read', 'AssessmentTemplate', { regionCode: actor.regionPrefix?.slice(0, 2) ?? '\u0000' });
    // Local versions of the province's templates: a county reviewer or city analyst, for its own region.
    if ((actor.orgKind === 'county' && roles.has('county_reviewer')) || (actor.orgKind === 'city' && roles.has('city_analyst'))) can('create', 'AssessmentTemplate', region);
    if (actor.orgKind === 'county' && roles.has('county_reviewer')) {
      can(['create', 'update'], 'Contract', region);
      can('create', 'AssessmentCycle', region);
      can(['update', 'close'], 'Assessment', region);
    }
    if (actor.orgKind === 'province' && roles.has('province_auditor')) {
      can(['create', 'update'], 'AssessmentTemplate', region);
      can(['create', 'publish'], 'AssessmentCycle', region);
      can(['verify', 'close'], 'Assessment', region);
    }
    if (actor.orgKind === 'county' && roles.has('county_reviewer')) can('publish', 'AssessmentCycle', region);
    if (actor.orgKind === 'city' && roles.has('city_analyst')) can(['verify', 'close'], 'Assessment', region);
    // Third-party platforms (R-E8): every authority sees those of its region; the county registers, rotates and disables them.
    can('read', 'Platform', region);
    if (actor.orgKind === 'county' && roles.has('county_reviewer')) can(['create', 'update'], 'Platform', region);
    // Exit (issue 16 §4, R-F1): every authority reads its region's cases; the county reviewer proposes, starts the
    // exit, opens handovers and archives; the city analyst approves or refuses (another person at another level).
    can('read', 'ExitCase', region);
    if (actor.orgKind === 'county' && roles.has('county_reviewer')) can(['create', 'update'], 'ExitCase', region);
    if (actor.orgKind === 'city' && roles.has('city_analyst')) can('verify', 'ExitCase', region);
    // Model markets (issue 15 §5): every authority reads the titles in its region; the province (its provincial title)
    // and a city (its city-level title) propose a list under 公示, record objections, designate and revoke.
    can('read', 'ModelMarket', region);
    if ((actor.orgKind === 'province' && roles.has('province_auditor')) || (actor.orgKind === 'city' && roles.has('city_analyst'))) {
      can(['create', 'update', 'publish', 'close'], 'ModelMarket', region);
    }
    if (roles.has('county_reviewer')) {
      // Markets are registered by the county authority and assigned to an operator (R-A3).
      can('create', 'Market', region);
      can('register', 'Market', region);
    }
  }

  if (actor.orgKind === 'operator' && actor.tenantId) {
    const tenant = { tenantId: actor.tenantId };
    if (roles.has('operator_admin')) {
      can('read', 'Market', tenant);
      can('operate', 'Market', tenant);
      can(['read', 'create', 'update', 'reveal', 'unlock'], 'User', tenant);
      // Its own organisation's contact mobile, shown masked like every phone (audited reveal).
      can('reveal', 'Organisation', { id: actor.tenantId });
      can('read', 'AuditEvent', tenant);
      can(['read', 'create', 'close', 'verify'], 'Ledger', tenant);
      // Figures of all the operator's markets; re-running a rollup of its own markets.
      can(['read', 'update'], 'Analytics', tenant);
      can(['read', 'lookup', 'create', 'reveal'], 'Worker', tenant);
      can(['read', 'create', 'update'], 'Employer', tenant);
      can(['read', 'create', 'update'], 'Worker', tenant);
      can(['read', 'create', 'update', 'verify'], 'Post', tenant);
      can(['read', 'create', 'update'], 'Placement', tenant);
      can(['read', 'create', 'update', 'verify', 'reveal'], 'Complaint', tenant);
      can(['read', 'create', 'update', 'verify'], 'Tool', tenant);
      can(['read', 'create', 'update'], 'Training', tenant);
      can(['read', 'create', 'update'], 'MarketEvent', tenant);
      can(['read', 'create', 'update', 'reveal'], 'Assistance', tenant);
      can(['read', 'create'], 'ServiceRecord', tenant);
      // Its markets' directory listings: it sees a correction the county sent back and resubmits once fixed (R-E1).
      can(['read', 'operate'], 'Directory', tenant);
      // Oversight (issue 16): its samples (no contacts; the seed once revealed), its inspection reports, its rectification
      // orders, which it starts and answers with evidence ('update').
      can('read', ['CallbackSample', 'Inspection'], tenant);
      can(['read', 'update'], 'Rectification', tenant);
      // Its own contracts, cycles' assessments and results; it self-assesses and appeals ('operate').
      can('read', ['Contract', 'Assessment'], tenant);
      can('operate', 'Assessment', tenant);
      // The platforms it registered for its own markets (R-E8; issue 18 §3).
      can(['read', 'create', 'update'], 'Platform', { orgId: actor.tenantId });
      // Its exit case: it reads it, answers within the window and signs a handover checklist ('operate'), as the
      // outgoing or the successor operator (the service checks which side).
      can(['read', 'operate'], 'ExitCase', tenant);
    }
    if (isMarketLevel(actor)) {
      /*
       * Market-level staff (front desk, complaint handler, market manager) work at their assigned markets
       * only (DESIGN.md "Tenancy and access", issue 12 §5). What is shared across the operator's markets,
       * per subject, and why:
       * - Market, Ledger, Post, Placement (queue, candidates, hires), Complaint, Tool (inventory, loans,
       *   signatures), Training (demand, courses, sessions, enrolments, attendance signatures), MarketEvent,
       *   Assistance (hardship, plans, steps) and ServiceRecord: the market's own records — assigned
       *   markets only, for reading as for writing.
       * - Worker: the list and details belong to the market where the worker registered (marketId). Only
       *   the worker's identity is the tenant's: 'lookup' finds a worker by exact mobile anywhere in the
       *   tenant, so someone registered at one market who walks into another is found at check-in (and
       *   then served there: queue, candidates and hires are that market's records).
       * - Employer: belongs to the market where it registered; no lookup across markets (a new market
       *   registers the employer again, with its own verification).
       * - User: the market manager reads the tenant's staff directory (transfers, approvers); nobody else.
       */
      const assigned = { id: { $in: actor.marketIds } };
      can('read', 'Market', assigned);
      const assignedLedger = { tenantId: actor.tenantId, marketId: { $in: actor.marketIds } };
      can(['read', 'create', 'verify'], 'Ledger', assignedLedger);
      can('read', 'Analytics', assignedLedger);
      // Market staff register workers at their markets and see those markets' roster, masked.
      can(['read', 'create'], 'Worker', assignedLedger);
      can('lookup', 'Worker', tenant);
      can(['read', 'create'], 'Employer', assignedLedger);
      // Front desk: posts taken at the desk, the check-in queue, recommendations and hires (R-B4, R-B5).
      can(['read', 'create', 'update'], 'Post', assignedLedger);
      can(['read', 'create', 'update'], 'Placement', assignedLedger);
      // Complaints (R-C2, R-D2): anyone at the market takes one (first-contact responsibility); handlers
      // and the manager handle them; the manager approves extensions of their time limits.
      can(['read', 'create'], 'Complaint', assignedLedger);
      if (roles.has('complaint_handler') || roles.has('market_manager')) can(['update', 'reveal'], 'Complaint', assignedLedger);
      // First-contact responsibility (首问负责): whoever took a complaint may work it while it is theirs.
      else can('update', 'Complaint', { ...assignedLedger, ownerUserId: actor.userId });
      if (roles.has('market_manager')) can('verify', 'Complaint', assignedLedger);
      // Tool rental (R-B11): the desk asks for a loan, hands the tool out with the worker's signature, takes it
      // back with an inspection and applies for repair or write-off ('create'); the market manager adds
      // tools ('update') and approves loans, repairs and write-offs ('verify') — 先批后租 (004 附件4 第四条).
      can(['read', 'create'], 'Tool', assignedLedger);
      if (roles.has('market_manager')) can(['update', 'verify'], 'Tool', assignedLedger);
      // Training (R-B10): the desk collects demand, enrols and records attendance at its markets.
      can(['read', 'create', 'update'], 'Training', assignedLedger);
      // Events (R-B13) are planned and reported by the market manager (DESIGN.md "Who uses it"); the desk sees them.
      can('read', 'MarketEvent', assignedLedger);
      if (roles.has('market_manager')) can(['create', 'update'], 'MarketEvent', assignedLedger);
      // Assistance (R-B9): the staff of the worker's market record hardship (and may see it), plans and steps;
      // service records (R-B12, R-B14) are taken at the desk.
      can(['read', 'create', 'update', 'reveal'], 'Assistance', assignedLedger);
      can(['read', 'create'], 'ServiceRecord', assignedLedger);
      // Verifying an employer and reviewing posts (R-B6), disputes and removals (R-B8) are the market manager's call.
      if (roles.has('market_manager')) {
        can('update', 'Employer', assignedLedger);
        can('verify', 'Post', assignedLedger);
        can('update', 'Worker', assignedLedger);
      }
      if (roles.has('market_manager')) {
        can('operate', 'Market', assigned);
        can('read', 'User', tenant);
        // The market manager closes the day (日结) (DESIGN.md "Who uses it").
        can('close', 'Ledger', assignedLedger);
      }
    }
    if (actor.readOnly) {
      // An operator that has exited keeps its data, read-only, for audit and handover (R-F1).
      cannot(['create', 'update', 'register', 'operate', 'reveal', 'unlock', 'close'], 'all');
      // Approving a complaint's extension or a tool's loan is a write too (verifying the ledger stays allowed).
      cannot('verify', 'Complaint');
      cannot('verify', 'Tool');
    }
  }

  if (actor.orgKind === 'county' && roles.has('complaint_handler')) {
    can('read', 'Market', { regionCode: prefixQuery(actor.regionPrefix ?? '\u0000') });
  }

  return build();
}

/** Wrap a row for an object-level check: `ability.can('update', subject('Market', row))`. */
export function asSubject<T extends ScopedObject>(type: Exclude<SubjectName, 'all'>, obj: T): { __typename: SubjectName } & T {
  return { ...obj, __typename: type };
}
