import type { Schema } from '@linggong/api-core';
import { RlsHelpers1763800000000 } from '@linggong/api-core';
import { AuditEventEntity, Audit1763800300000 } from '@linggong/api-audit';
import { Identity1763800200000, SecondFactor1763802400000 } from '@linggong/api-identity';
import {
  OrganisationEntity, RegionEntity, RegionsGbt22601763800110000, Tenancy1763800100000, UserEntity, UserMarketEntity,
} from '@linggong/api-tenancy';
import { MarketEntity, Markets1763800400000 } from '@linggong/api-markets';
import { AttachmentsPerTenant1763802100000, Ledger1763800500000, LedgerCorrectsIndex1763803000000 } from '@linggong/api-ledger';
import { Analytics1763803010000, AnalyticsCovering1763803100000, AnalyticsRegionAggregates1763804100000 } from '@linggong/api-analytics';
import { Employers1763800610000, Registry1763800600000 } from '@linggong/api-registry';
import { GateKeys1763802340000, Jobs1763800700000, RankingPolicies1763800710000 } from '@linggong/api-jobs';
import { ComplaintEscalationDeadline1763800810000, Complaints1763800800000 } from '@linggong/api-complaints';
import { ToolReconciliationHistory1763801150000, ToolReconciliationNightlyOnce1763802500000, Tools1763801100000 } from '@linggong/api-tools';
import { Training1763801000000 } from '@linggong/api-training';
import { TrainingSessionColumns1763801020000 } from '@linggong/api-training';
import { Events1763801010000 } from '@linggong/api-events';
import { EventPostOnce1763801030000 } from '@linggong/api-events';
import { Assistance1763800900000, AssistancePackagesRls1763800950000 } from '@linggong/api-assistance';

/** Every context's entities and migrations, listed once for the API, the worker and the db CLI. */
export const SCHEMA: Schema = {
  entities: [RegionEntity, OrganisationEntity, UserEntity, UserMarketEntity, AuditEventEntity, MarketEntity],
  migrations: [
    RlsHelpers1763800000000, Tenancy1763800100000, RegionsGbt22601763800110000, Identity1763800200000,
    Audit1763800300000, Markets1763800400000, Ledger1763800500000,
    Registry1763800600000, Employers1763800610000, Jobs1763800700000, RankingPolicies1763800710000,
    Complaints1763800800000, ComplaintEscalationDeadline1763800810000,
    Tools1763801100000, ToolReconciliationHistory1763801150000,
    Training1763801000000, Events1763801010000,
    TrainingSessionColumns1763801020000, EventPostOnce1763801030000,
    Assistance1763800900000, AssistancePackagesRls1763800950000,
    AttachmentsPerTenant1763802100000, GateKeys1763802340000, SecondFactor1763802400000, ToolReconciliationNightlyOnce1763802500000,
    LedgerCorrectsIndex1763803000000, Analytics1763803010000, AnalyticsCovering1763803100000, AnalyticsRegionAggregates1763804100000,
  ],
};

/** Tables that carry tenant rows and must have RLS enabled and forced (checked by tests/rls). */
export const TENANT_TABLES = [
  'organisations', 'users', 'user_markets', 'markets', 'audit_events',
  'ledger_entries', 'ledger_seals', 'ledger_alerts', 'ledger_attachments', 'workers', 'employers',
  'posts', 'check_ins', 'placements', 'compliance_refusals', 'worker_sanctions', 'employer_flags',
  'complaints', 'complaint_records', 'complaint_notices', 'complaint_transfers', 'complaint_extensions', 'complaint_escalations',
  'tools', 'tool_signatures', 'tool_loans', 'tool_charges', 'tool_maintenance', 'tool_deposit_movements', 'tool_reconciliations',
  'training_demands', 'training_courses', 'training_sessions', 'training_enrolments', 'training_attendance',
  'market_events', 'market_event_posts',
  'hardship_records', 'assistance_plans', 'assistance_steps', 'public_welfare_posts', 'service_records',
  'market_gate_keys',
  'analytics_facts', 'analytics_subject_days', 'analytics_days', 'analytics_runs',
] as const;
