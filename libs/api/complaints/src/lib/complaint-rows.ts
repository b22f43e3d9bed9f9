import type { EntityManager } from 'typeorm';
import {
  DEFAULT_RESOLVE_DAYS, DUE_SOON_WORKING_DAYS, REOPEN_DAYS, dueAfterWorkingDays,
  type Action, type Actor, type ComplaintCategory, type ComplaintSummaryView, type ComplaintView,
} from '@linggong/domain';
import { ProblemException, SHANGHAI_TODAY_SQL, assertAccess, isoOf, lockRow, notFound, queryRows } from '@linggong/api-core';
import type { TimerFacts } from './complaint-timers';
import type {
  ComplaintEscalationRow, ComplaintExtensionRow, ComplaintNoticeRow, ComplaintRecordRow, ComplaintRow, ComplaintSummaryRow, ComplaintTransferRow,
} from './rows';

/** Today in Asia/Shanghai, from the database clock (one clock for every node). */
export async function shanghaiToday(em: EntityManager): Promise<string> {
  return (await em.query<{ d: string }[]>(`SELECT ${SHANGHAI_TODAY_SQL} AS d`))[0].d;
}

/** The last day still counted as "due soon" on `today`. */
export function dueSoonLimit(today: string): string {
  return dueAfterWorkingDays(today, DUE_SOON_WORKING_DAYS).day;
}

/** The province's resolution limit for a category (issue 6 §3), or the default. */
export async function resolveLimit(em: EntityManager, regionCode: string, category: ComplaintCategory): Promise<number> {
  const [r] = await em.query<{ resolve_days: number }[]>('SELECT resolve_days FROM complaint_limits WHERE province_code = $1 AND category = $2', [regionCode.slice(0, 2), category]);
  return r ? r.resolve_days : DEFAULT_RESOLVE_DAYS[category];
}

/** Loads a complaint and checks the actor against it: invisible → 404, visible but not allowed → 403. */
export async function complaintFor(em: EntityManager, actor: Actor, id: string, action: Action, lock = false): Promise<ComplaintRow> {
  // Every step locks the complaint before reading its state (api-core `lockRow`, issue 12).
  const c = lock ? await lockRow<ComplaintRow>(em, 'complaints', id) : (await queryRows<ComplaintRow>(em, 'SELECT * FROM complaints WHERE id = $1', [id]))[0];
  if (!c) throw notFound();
  assertAccess(actor, action, 'Complaint', { tenantId: c.tenant_id, regionCode: c.region_code, marketId: c.market_id, ownerUserId: c.owner_user_id });
  return c;
}

export function requireOpen(c: ComplaintRow): void {
  if (c.status === 'closed') throw new ProblemException(409, 'complaint_closed');
}

export function timerFacts(c: ComplaintRow): TimerFacts {
  return {
    id: c.id, tenantId: c.tenant_id, ackDue: c.ack_due, resolveDue: c.resolve_due,
    acknowledged: !!c.acknowledged_at, ackOverdue: !!c.ack_overdue_at, remindedFor: c.reminded_for, escalated: !!c.overdue_escalated_at,
  };
}

/** Names for display: the markets' and users' tables are read here, read-only (listed in the README). */
const SUMMARY_SQL = `
  SELECT c.*, m.name AS market_name, u.display_name AS owner_name, t.to_user_id AS pending_to, d.reference AS duplicate_reference, e.name AS employer_name
  FROM complaints c
  LEFT JOIN markets m ON m.id = c.market_id
  LEFT JOIN users u ON u.id = c.owner_user_id
  LEFT JOIN complaints d ON d.id = c.duplicate_of
  LEFT JOIN employers e ON e.id = c.employer_id
  LEFT JOIN complaint_transfers t ON t.complaint_id = c.id AND t.status = 'pending'`;

export async function summaries(em: EntityManager, ids: string[], today: string): Promise<ComplaintSummaryView[]> {
  if (!ids.length) return [];
  const rows = await queryRows<ComplaintSummaryRow>(em, `${SUMMARY_SQL} WHERE c.id = ANY($1::uuid[])`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const soon = dueSoonLimit(today);
  return ids.map((id) => summaryView(byId.get(id) as ComplaintSummaryRow, today, soon));
}

export function summaryView(r: ComplaintSummaryRow, today: string, soon: string): ComplaintSummaryView {
  const due = r.resolve_due;
  const closed = r.status === 'closed';
  const dueState: ComplaintSummaryView['dueState'] = closed
    ? (r.closed_late ? 'closed_late' : 'closed_on_time')
    : today > due ? 'overdue' : due <= soon ? 'due_soon' : 'on_time';
  const content = r.content;
  return {
    id: r.id, reference: r.reference, marketId: r.market_id, marketName: r.market_name ?? null,
    tenantId: r.tenant_id, regionCode: r.region_code, channel: r.channel, govReference: r.gov_reference ?? null,
    category: r.category, status: r.status, anonymous: !!r.anonymous,
    complainantName: r.name_masked ?? null, mobile: r.mobile_masked ?? null, contentPreview: content.length > 60 ? `${content.slice(0, 60)}…` : content,
    receivedAt: isoOf(r.received_at), ackDue: r.ack_due, resolveDue: due, dueProvisional: !!r.due_provisional,
    acknowledgedAt: isoOf(r.acknowledged_at), closedAt: isoOf(r.closed_at), ownerUserId: r.owner_user_id, ownerName: r.owner_name ?? null,
    pendingTransferTo: r.pending_to ?? null, dueState, escalatedOverdue: !!r.overdue_escalated_at, satisfaction: r.satisfaction ?? null,
    duplicateOf: r.duplicate_of ? { id: r.duplicate_of, reference: r.duplicate_reference ?? '' } : null,
  };
}

export async function fullView(em: EntityManager, id: string, today: string): Promise<ComplaintView> {
  const [r] = await queryRows<ComplaintSummaryRow>(em, `${SUMMARY_SQL} WHERE c.id = $1`, [id]);
  const s = summaryView(r, today, dueSoonLimit(today));
  const q = <T>(sql: string) => queryRows<T>(em, sql, [id]);
  const [records, notices, escalations, transfers, extensions] = [
    await q<ComplaintRecordRow>(`SELECT r.*, COALESCE(u.display_name, r.author_name) AS author_name FROM complaint_records r LEFT JOIN users u ON u.id = r.author_user_id
      WHERE r.complaint_id = $1 ORDER BY r.created_at, r.id`),
    await q<ComplaintNoticeRow>(`SELECT n.*, COALESCE(u.display_name, n.author_name) AS author_name FROM complaint_notices n LEFT JOIN users u ON u.id = n.created_by
      WHERE n.complaint_id = $1 ORDER BY n.created_at, n.id`),
    await q<ComplaintEscalationRow>('SELECT * FROM complaint_escalations WHERE complaint_id = $1 ORDER BY created_at, id'),
    await q<ComplaintTransferRow & { to_name: string | null }>(`SELECT t.*, u.display_name AS to_name FROM complaint_transfers t LEFT JOIN users u ON u.id = t.to_user_id WHERE t.complaint_id = $1 ORDER BY t.created_at, t.id`),
    await q<ComplaintExtensionRow>('SELECT * FROM complaint_extensions WHERE complaint_id = $1 ORDER BY created_at, id'),
  ];
  const closedAt = r.closed_at;
  return {
    ...s, content: r.content, about: r.about ?? null, workerId: r.worker_id ?? null, employerId: r.employer_id ?? null, employerName: r.employer_name ?? null,
    postId: r.post_id ?? null, closedBy: r.closed_by ?? null,
    staffUserId: r.staff_user_id ?? null, result: r.result ?? null, resultSummary: r.result_summary ?? null, callbackAt: isoOf(r.callback_at),
    callbackNote: r.callback_note ?? null, reopenUntil: closedAt ? new Date(closedAt.getTime() + REOPEN_DAYS * 86_400_000).toISOString() : null,
    reopenCount: r.reopen_count, resolveLimitDays: r.resolve_limit_days + r.extension_days,
    records: records.map((x) => ({
      id: x.id, kind: x.kind, content: x.content, attachments: x.attachments ?? [],
      authorUserId: x.author_user_id ?? null, authorName: x.author_name ?? null, createdAt: isoOf(x.created_at), data: x.data ?? {},
    })),
    notices: notices.map((x) => ({
      id: x.id, items: x.items, newItems: x.new_items, note: x.note ?? null, createdAt: isoOf(x.created_at),
      authorName: x.author_name ?? null,
    })),
    escalations: escalations.map((x) => ({
      id: x.id, target: x.target, reason: x.reason,
      status: x.status, automatic: !!x.automatic, reference: x.reference ?? null, acceptedAt: isoOf(x.accepted_at),
      acceptNote: x.accept_note ?? null, concludedAt: isoOf(x.concluded_at), outcome: x.outcome ?? null, createdAt: isoOf(x.created_at),
    })),
    transfers: transfers.map((x) => ({
      id: x.id, fromUserId: x.from_user_id, toUserId: x.to_user_id, toName: x.to_name ?? null, reason: x.reason,
      status: x.status, createdAt: isoOf(x.created_at), decidedAt: isoOf(x.decided_at),
    })),
    extensions: extensions.map((x) => ({
      id: x.id, workingDays: x.working_days, reason: x.reason, status: x.status,
      requestedBy: x.requested_by, decidedBy: x.decided_by ?? null, decidedAt: isoOf(x.decided_at), newDue: x.new_due ?? null,
      createdAt: isoOf(x.created_at),
    })),
  };
}
