import { scopeColumns, type ScopeRow } from '@linggong/api-core';
import type { EmployerView, WorkerView } from '@linggong/domain';

/** The registry's tables as the driver returns them (api-core `rows.ts` says how types map). */
export interface WorkerRow extends ScopeRow {
  id: string; name: string; mobile_enc: string; mobile_masked: string; mobile_bidx: string; id_enc: string | null; id_masked: string | null;
  id_bidx: string | null; gender: WorkerView['gender']; birth_year: number | null; birth_date: string | null; occupations: string[];
  skills: string[]; availability: string | null; home_area: string | null; home_lat: number | null; home_lng: number | null;
  status: WorkerView['status']; source: WorkerView['source']; job_push: boolean; completed_count: number; no_show_count: number; hardship_tier: number;
  last_seen_on: string | null; last_worked_on: string | null; consent_at: Date; created_by: string | null; created_at: Date; updated_at: Date;
}
/** `WorkersService` SELECT / COLUMNS: a worker's masked fields with its market's name. */
export type WorkerViewRow = Omit<WorkerRow, 'mobile_enc' | 'mobile_bidx' | 'id_enc' | 'id_bidx' | 'birth_date' | 'home_lat' | 'home_lng' | 'last_worked_on' | 'created_by' | 'updated_at'>
  & { market_name: string | null };

export interface EmployerRow extends ScopeRow {
  id: string; kind: EmployerView['kind']; name: string; credit_code: string | null; contact_name: string; contact_phone_enc: string;
  contact_phone_masked: string; address: string | null; industry: string | null; status: EmployerView['status']; evidence: string | null; evidence_attachments: string[];
  verified_by: string | null; verified_at: Date | null; open_flags: number; created_by: string | null; created_at: Date;
}
/** `EmployersService` COLUMNS. */
export type EmployerViewRow = Omit<EmployerRow, 'contact_phone_enc' | 'evidence_attachments' | 'verified_by' | 'created_by'>;

/** workers and employers carry the registering market's scope (CASL subjects `Worker`, `Employer`). */
export const REGISTRY_ACCESS = scopeColumns;
