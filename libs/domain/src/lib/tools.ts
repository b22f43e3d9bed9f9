import { z } from 'zod';
import { line, multiline, nameText } from './text';

/**
 * Tool rental (R-B11; 004 附件4 零工市场工具租赁制度): "安全使用、先批后租、使用签字、量化计价、单个核算".
 * Inventory per market, loans approved before lending and signed by the worker on screen, deposit and
 * daily fee (simple tools: deposit only, no fee), inspection on return, repair and scrapping through
 * approval, an account per tool, and the daily deposit reconciliation.
 */

const uuid = z.string().uuid();
const page = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};
/** Money in fen (分); ¥100 000 is the most a market tool is worth. */
const fen = z.number().int().min(0).max(10_000_000);

/** 附件4 第五条(三): simple tools (榔头、铁锹、抹灰刀…) are lent free of charge, against a deposit only. */
export const TOOL_CATEGORIES = ['simple', 'regular'] as const;
export type ToolCategory = (typeof TOOL_CATEGORIES)[number];
export const TOOL_CONDITIONS = ['good', 'worn', 'damaged'] as const;
export type ToolCondition = (typeof TOOL_CONDITIONS)[number];
export const TOOL_STATUSES = ['available', 'on_loan', 'damaged', 'in_repair', 'scrapped'] as const;
export type ToolStatus = (typeof TOOL_STATUSES)[number];
export const TOOL_LOAN_STATUSES = ['requested', 'approved', 'rejected', 'lent', 'returned', 'cancelled'] as const;
export type ToolLoanStatus = (typeof TOOL_LOAN_STATUSES)[number];
export const DEPOSIT_MOVEMENTS = ['received', 'refunded', 'forfeited'] as const;
export type DepositMovementKind = (typeof DEPOSIT_MOVEMENTS)[number];

export const createToolSchema = z.strictObject({
  /** The asset tag painted on the tool, unique within the market. */
  code: z.string().trim().regex(/^[A-Za-z0-9-]{2,30}$/, { error: 'tool_code_format' }),
  name: nameText(2, 60),
  category: z.enum(TOOL_CATEGORIES),
  condition: z.enum(['good', 'worn']).default('good'),
  valueFen: z.number().int().min(1).max(10_000_000),
  depositFen: fen,
  dailyFeeFen: fen.default(0),
  note: multiline(0, 500).default(''),
}).refine((v) => v.category === 'regular' || v.dailyFeeFen === 0, { message: 'simple_tool_no_fee', path: ['dailyFeeFen'] })
  .refine((v) => v.depositFen <= v.valueFen, { message: 'deposit_above_value', path: ['depositFen'] })
  .refine((v) => v.dailyFeeFen <= v.valueFen, { message: 'daily_fee_above_value', path: ['dailyFeeFen'] });
export type CreateToolInput = z.infer<typeof createToolSchema>;

export const toolQuerySchema = z.object({
  marketId: uuid.optional(),
  status: z.enum(TOOL_STATUSES).optional(),
  category: z.enum(TOOL_CATEGORIES).optional(),
  q: line(0, 60).optional(),
  ...page,
});

export const requestLoanSchema = z.strictObject({
  workerId: uuid,
  /** Planned days of use; the fee is charged for the days actually kept. */
  days: z.number().int().min(1).max(30).default(1),
  purpose: multiline(0, 200).default(''),
});
export type RequestLoanInput = z.infer<typeof requestLoanSchema>;

export const decisionSchema = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
  note: multiline(0, 500).default(''),
}).refine((v) => v.decision === 'approved' || v.note.length >= 4, { message: 'reason_required', path: ['note'] });
export type DecisionInput = z.infer<typeof decisionSchema>;

/** A PNG is at most 200 kB (about 270 kB of base64): an on-screen signature is far smaller. */
export const lendSchema = z.strictObject({
  signaturePngBase64: z.string().min(100, { error: 'signature_required' }).max(280_000, { error: 'signature_too_large' })
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'signature_not_png' }),
});
export type LendInput = z.infer<typeof lendSchema>;

export const returnSchema = z.strictObject({
  condition: z.enum(TOOL_CONDITIONS),
  inspectionNote: multiline(0, 500).default(''),
  /** The damage charge in fen, set by the inspecting staff; required (and only allowed) when damaged. */
  damageFen: fen.default(0),
}).refine((v) => v.condition !== 'damaged' || v.damageFen > 0, { message: 'damage_fen_required', path: ['damageFen'] })
  .refine((v) => v.condition === 'damaged' || v.damageFen === 0, { message: 'damage_only_when_damaged', path: ['damageFen'] })
  .refine((v) => v.condition === 'good' || v.inspectionNote.length >= 2, { message: 'inspection_note_required', path: ['inspectionNote'] });
export type ReturnInput = z.infer<typeof returnSchema>;

export const loanQuerySchema = z.object({
  marketId: uuid.optional(),
  toolId: uuid.optional(),
  status: z.enum(TOOL_LOAN_STATUSES).optional(),
  ...page,
});

/** 附件4 第五条(一): repair and write-off (报损/报废) are applied for and approved. */
export const maintenanceSchema = z.strictObject({
  kind: z.enum(['repair', 'scrap']),
  reason: multiline(2, 500),
  /** The estimated repair cost in fen (repairs only). */
  estimateFen: fen.default(0),
});
export type MaintenanceInput = z.infer<typeof maintenanceSchema>;
export const completeRepairSchema = z.strictObject({
  costFen: fen,
  note: multiline(0, 500).default(''),
});
export type CompleteRepairInput = z.infer<typeof completeRepairSchema>;

export const reconciliationQuerySchema = z.object({ ...page });

export interface ToolView {
  id: string; tenantId: string; marketId: string; code: string; name: string; category: ToolCategory; condition: ToolCondition;
  status: ToolStatus; valueFen: number; depositFen: number; dailyFeeFen: number; note: string; createdAt: string;
  /** The loan in progress (requested, approved or lent), if any. */
  activeLoan: { id: string; status: ToolLoanStatus; workerName: string } | null;
}
export interface ToolLoanView {
  id: string; tenantId: string; marketId: string; toolId: string; toolCode: string; toolName: string; category: ToolCategory;
  workerId: string; workerName: string; status: ToolLoanStatus; days: number; purpose: string; depositFen: number; dailyFeeFen: number;
  requestedAt: string; requestedBy: string | null; decidedAt: string | null; decidedBy: string | null; decisionNote: string | null;
  lentAt: string | null; signatureHash: string | null; returnedAt: string | null; returnCondition: ToolCondition | null;
  inspectionNote: string | null; daysCharged: number | null; feeFen: number | null; damageFen: number | null;
  depositRefundedFen: number | null; depositForfeitedFen: number | null; balanceDueFen: number | null;
}
export interface ToolChargeView { id: string; loanId: string; kind: 'rental_fee' | 'damage'; amountFen: number; fromDepositFen: number; note: string; createdAt: string }
export interface ToolMaintenanceView {
  id: string; toolId: string; kind: 'repair' | 'scrap'; status: 'requested' | 'approved' | 'rejected' | 'completed'; reason: string;
  estimateFen: number; costFen: number | null; requestedAt: string; decidedAt: string | null; decisionNote: string | null; completedAt: string | null;
}
/** 单个核算: one tool's account — loans, fees and charges, repairs — with its totals. */
export interface ToolAccountView {
  tool: ToolView;
  loans: ToolLoanView[];
  charges: ToolChargeView[];
  maintenance: ToolMaintenanceView[];
  totals: { loans: number; daysLent: number; feesFen: number; damageFen: number; repairCostFen: number; depositHeldFen: number };
}
export interface ToolReconciliationView {
  id: string; marketId: string; businessDay: string; status: 'ok' | 'mismatch'; outstandingFen: number; ledgerFen: number;
  differenceFen: number; outstandingLoans: number;
  /**
   * Per loan and kind where the movements disagree with the loan: received vs its deposit (once lent),
   * refunded / forfeited vs what its return recorded; `held` (a lent loan's deposit vs received − refunded −
   * forfeited) only when those three agree.
   */
  problems: { loanId: string; kind: 'received' | 'refunded' | 'forfeited' | 'held'; expectedFen: number; movementsFen: number }[];
  checkedAt: string;
}

/** Whole days a tool was kept, by Asia/Shanghai calendar day (UTC+8, no DST); at least one (量化计价). */
export function daysKept(lentAt: Date, returnedAt: Date): number {
  const day = (d: Date) => Date.parse(new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
  return Math.max(1, Math.round((day(returnedAt) - day(lentAt)) / 86_400_000));
}

/**
 * What a return costs (R-B11 量化计价): the daily fee for the days kept plus any damage charge,
 * taken from the deposit first; what the deposit does not cover is due at the desk. The fee is capped
 * at the tool's value (`feeCapFen`): renting a tool never costs more than buying it, however long it is
 * kept (`feeCapped` says the cap applied).
 */
export function settleReturn(depositFen: number, dailyFeeFen: number, days: number, damageFen: number, feeCapFen = Number.MAX_SAFE_INTEGER) {
  const feeFen = Math.min(dailyFeeFen * days, feeCapFen);
  const due = feeFen + damageFen;
  const forfeited = Math.min(depositFen, due);
  const feeFromDeposit = Math.min(depositFen, feeFen);
  return {
    feeFen, damageFen, forfeitedFen: forfeited, refundedFen: depositFen - forfeited, balanceDueFen: due - forfeited,
    feeFromDepositFen: feeFromDeposit, damageFromDepositFen: forfeited - feeFromDeposit, feeCapped: feeFen < dailyFeeFen * days,
  };
}

/** A damage charge is at most what the tool is worth (422 damage_above_value). */
export const damageWithinValue = (damageFen: number, valueFen: number): boolean => damageFen <= valueFen;

/** The note on a rental-fee charge: days × daily fee, and whether the tool's value capped it. */
export const rentalFeeNote = (days: number, dailyFeeFen: number, feeCapped: boolean): string =>
  `${days} 天 × ${dailyFeeFen} 分${feeCapped ? '，以工具价值为限' : ''}`;
