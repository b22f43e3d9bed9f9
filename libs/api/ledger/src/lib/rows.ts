import { scopeColumns } from '@linggong/api-core';
import type { LedgerEntry, LedgerSeal } from '@linggong/ledger-chain';

/**
 * The ledger's tables as the driver returns them (api-core `rows.ts` says how types map): `seq` and the
 * other bigint columns come back as strings, `business_day` as `YYYY-MM-DD`. `rowToEntry` / `rowToSeal`
 * also read rows from plain `pg` clients (backup, tests), which select `to_char(business_day, …)`.
 */
export interface LedgerEntryRow {
  market_id: string; seq: string | number; id: string; tenant_id?: string | null; region_code?: string; kind: string; occurred_at: Date | string;
  recorded_at: Date | string; business_day: string; actor_user_id: string | null; actor_name?: string | null; subject_type: string | null;
  subject_id: string | null; payload: Record<string, unknown>; corrects: string | number | null; reason: string | null; attachments: string[] | null;
  prev_hash: string; hash: string; alg: LedgerEntry['alg'];
}

export interface LedgerSealRow {
  market_id: string; business_day: string; tenant_id?: string | null; region_code?: string; count: number; first_seq: string | number | null;
  last_seq: string | number | null; last_hash: string; merkle_root: string; closed_at: Date | string; closed_by: string | null; late: boolean;
  alg: LedgerSeal['alg']; key_id: string; digest: string; signature: string;
  /** Since issue 17 (absent in rows selected without them: part 0, no reason). */
  part?: number | null; reason?: string | null;
}

export interface LedgerReceiptRow { market_id: string; business_day: string; region_code?: string; seal_digest: string; received_at: Date | string; part?: number | null }

export interface LedgerAlertRow {
  id: string; market_id: string; tenant_id: string | null; region_code: string; business_day: string; code: string; detail: string;
  first_bad_seq: string | null; created_at: Date;
}

/** `listSeals`: a seal with its market's, region's and operator's names and the state of its receipt. */
export interface SealListRow extends Pick<LedgerSealRow, 'market_id' | 'business_day' | 'count' | 'first_seq' | 'last_seq' | 'closed_at' | 'late' | 'digest'> {
  tenant_id: string | null; region_code: string; market_name: string; region_name: string | null; operator_name: string | null;
  has_receipt: boolean; receipt_ok: boolean | null; alert: string | null; part: number; reason: string | null;
}

/** A recorded verification (`ledger_verifications`, issue 17 §2). */
export interface LedgerVerificationRow {
  id: string; market_id: string; tenant_id: string | null; region_code: string; from_day: string; to_day: string; ok: boolean;
  entries: number; seals: number; problems: number; first_bad: { seq: number | null; businessDay: string | null; code: string; detail: string } | null;
  verified_by: string | null; verified_by_name: string | null; org_id: string | null; org_kind: string | null; org_name: string | null; verified_at: Date | string;
}

/** The ledger tables carry the market's scope (CASL subject `Ledger`). */
export const LEDGER_ACCESS = scopeColumns;
