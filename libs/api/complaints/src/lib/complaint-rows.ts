import type { EntityManager } from 'typeorm';
import {
  DEFAULT_RESOLVE_DAYS, DUE_SOON_WORKING_DAYS, REOPEN_DAYS, dueAfterWorkingDays,
  type Action, type Actor, type ComplaintCategory, type ComplaintSummaryView, type ComplaintView,
} from '@linggong/domain';
import { ProblemException, SHANGHAI_TODAY_SQL, assertAccess, lockRow, notFound } from '@linggong/api-core';
import type { TimerFacts } from './complaint-timers';

export type Row = Record<string, unknown>;

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const pad = (n: number) => String(n).padStart(2, '0');
/** A `date` column as 'YYYY-MM-DD' (node-postgres returns it as a Date at local midnight). */
export function dayOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
  return String(v).slice(0, 10);
}
const day = dayOf;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Today in Asia/Shanghai, from the database clock (one clock for every node). */
export async function shanghaiToday(em: EntityManager): Promise<string> {
  return (await em.query(`SELECT to_char(${SHANGHAI_TODAY_SQL}, 'YYYY-MM-DD') AS d`))[0].d;
}

/** The last day still counted as "due soon" on `today`. */
export function dueSoonLimit(today: string): string {
  return dueAfterWorkingDays(today, DUE_SOON_WORKING_DAYS).day;
}

/** The province's resolution limit for a category (issue 6 §3), or the default. */
export async function resolveLimit(em: EntityManager, regionCode: string, category: ComplaintCategory): Promise<number> {
  const [r] = await em.query('SELECT resolve_days FROM complaint_limits WHERE province_code = $1 AND category = $2', [regionCode.slice(0, 2), category]);
  return r ? Number(r.resolve_days) : DEFAULT_RESOLVE_DAYS[category];
}

/** Loads a complaint and checks the actor against it: invisible → 404, visible but not allowed → 403. */
export async function complaintFor(em: EntityManager, actor: Actor, id: string, action: Action, lock = false): Promise<Row> {
  // Every step locks the complaint before reading its state (api-core `lockRow`, issue 12).
  const c = lock ? await lockRow(em, 'complaints', id) : (await em.query('SELECT * FROM complaints WHERE id = $1', [id]))[0];
  if (!c) throw notFound();
  assertAccess(actor, action, 'Complaint', { tenantId: c.tenant_id, regionCode: c.region_code, marketId: c.market_id, ownerUserId: c.owner_user_id });
  return c;
}

export function requireOpen(c: Row): void {
  if (c['status'] === 'closed') throw new ProblemException(409, 'complaint_closed');
}

export function timerFacts(c: Row): TimerFacts {
  return {
    id: String(c['id']), tenantId: String(c['tenant_id']), ackDue: day(c['ack_due']) as string, resolveDue: day(c['resolve_due']) as string,
    acknowledged: !!c['acknowledged_at'], ackOverdue: !!c['ack_overdue_at'], remindedFor: day(c['reminded_for']), escalated: !!c['overdue_escalated_at'],
  };
}

/** Names for display: the markets' and users' tables are read here, read-only (listed in the README). */
const SUMMARY_SQL = `
  SELECT c.*, m.name AS market_name, u.display_name AS owner_name, t.to_user_id AS pending_to
  FROM complaints c
  LEFT JOIN markets m ON m.id = c.market_id
  LEFT JOIN users u ON u.id = c.owner_user_id
  LEFT JOIN complaint_transfers t ON t.complaint_id = c.id AND t.status = 'pending'`;

export async function summaries(em: EntityManager, ids: string[], today: string): Promise<ComplaintSummaryView[]> {
  if (!ids.length) return [];
  const rows: Row[] = await em.query(`${SUMMARY_SQL} WHERE c.id = ANY($1::uuid[])`, [ids]);
  const byId = new Map(rows.map((r) => [String(r['id']), r]));
  const soon = dueSoonLimit(today);
  return ids.map((id) => summaryView(byId.get(id) as Row, today, soon));
}

export function summaryView(r: Row, today: string, soon: string): ComplaintSummaryView {
  const due = day(r['resolve_due']) as string;
  const closed = r['status'] === 'closed';
  const dueState: ComplaintSummaryView['dueState'] = closed
    ? (r['closed_late'] ? 'closed_late' : 'closed_on_time')
    : today > due ? 'overdue' : due <= soon ? 'due_soon' : 'on_time';
  const content = String(r['content']);
  return {
    id: String(r['id']), reference: String(r['reference']), marketId: String(r['market_id']), marketName: str(r['market_name']),
    tenantId: String(r['tenant_id']), regionCode: String(r['region_code']), channel: r['channel'] as ComplaintSummaryView['channel'], govReference: str(r['gov_reference']),
    category: r['category'] as ComplaintCategory, status: r['status'] as ComplaintSummaryView['status'], anonymous: !!r['anonymous'],
    complainantName: str(r['name_masked']), mobile: str(r['mobile_masked']), contentPreview: content.length > 60 ? `${content.slice(0, 60)}…` : content,
    receivedAt: iso(r['received_at']) as string, ackDue: day(r['ack_due']) as string, resolveDue: due, dueProvisional: !!r['due_provisional'],
    acknowledgedAt: iso(r['acknowledged_at']), closedAt: iso(r['closed_at']), ownerUserId: String(r['owner_user_id']), ownerName: str(r['owner_name']),
    pendingTransferTo: str(r['pending_to']), dueState, escalatedOverdue: !!r['overdue_escalated_at'], satisfaction: (r['satisfaction'] as ComplaintSummaryView['satisfaction']) ?? null,
  };
}

export async function fullView(em: EntityManager, id: string, today: string): Promise<ComplaintView> {
  const [r]: Row[] = await em.query(`${SUMMARY_SQL} WHERE c.id = $1`, [id]);
  const s = summaryView(r, today, dueSoonLimit(today));
  const q = (sql: string) => em.query(sql, [id]) as Promise<Row[]>;
  const [records, notices, escalations, transfers, extensions] = [
    await q('SELECT * FROM complaint_records WHERE complaint_id = $1 ORDER BY created_at, id'),
    await q('SELECT * FROM complaint_notices WHERE complaint_id = $1 ORDER BY created_at, id'),
    await q('SELECT * FROM complaint_escalations WHERE complaint_id = $1 ORDER BY created_at, id'),
    await q(`SELECT t.*, u.display_name AS to_name FROM complaint_transfers t LEFT JOIN users u ON u.id = t.to_user_id WHERE t.complaint_id = $1 ORDER BY t.created_at, t.id`),
    await q('SELECT * FROM complaint_extensions WHERE complaint_id = $1 ORDER BY created_at, id'),
  ];
  const closedAt = r['closed_at'] ? new Date(r['closed_at'] as string) : null;
  return {
    ...s, content: String(r['content']), about: str(r['about']), workerId: str(r['worker_id']), employerId: str(r['employer_id']), postId: str(r['post_id']),
    staffUserId: str(r['staff_user_id']), result: str(r['result']), resultSummary: str(r['result_summary']), callbackAt: iso(r['callback_at']),
    callbackNote: str(r['callback_note']), reopenUntil: closedAt ? new Date(closedAt.getTime() + REOPEN_DAYS * 86_400_000).toISOString() : null,
    reopenCount: Number(r['reopen_count']), resolveLimitDays: Number(r['resolve_limit_days']) + Number(r['extension_days']),
    records: records.map((x) => ({
      id: String(x['id']), kind: String(x['kind']), content: String(x['content']), attachments: (x['attachments'] as string[]) ?? [],
      authorUserId: str(x['author_user_id']), authorName: str(x['author_name']), createdAt: iso(x['created_at']) as string, data: (x['data'] as Record<string, unknown>) ?? {},
    })),
    notices: notices.map((x) => ({
      id: String(x['id']), items: x['items'] as string[], newItems: x['new_items'] as string[], note: str(x['note']), createdAt: iso(x['created_at']) as string,
      authorName: str(x['author_name']),
    })),
    escalations: escalations.map((x) => ({
      id: String(x['id']), target: x['target'] as ComplaintView['escalations'][number]['target'], reason: String(x['reason']),
      status: x['status'] as 'sent' | 'accepted' | 'concluded', automatic: !!x['automatic'], reference: str(x['reference']), acceptedAt: iso(x['accepted_at']),
      acceptNote: str(x['accept_note']), concludedAt: iso(x['concluded_at']), outcome: str(x['outcome']), createdAt: iso(x['created_at']) as string,
    })),
    transfers: transfers.map((x) => ({
      id: String(x['id']), fromUserId: String(x['from_user_id']), toUserId: String(x['to_user_id']), toName: str(x['to_name']), reason: String(x['reason']),
      status: x['status'] as 'pending' | 'accepted' | 'declined', createdAt: iso(x['created_at']) as string, decidedAt: iso(x['decided_at']),
    })),
    extensions: extensions.map((x) => ({
      id: String(x['id']), workingDays: Number(x['working_days']), reason: String(x['reason']), status: x['status'] as 'pending' | 'approved' | 'rejected',
      requestedBy: String(x['requested_by']), decidedBy: str(x['decided_by']), decidedAt: iso(x['decided_at']), newDue: day(x['new_due']),
      createdAt: iso(x['created_at']) as string,
    })),
  };
}
