import { createHash, randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  CALLBACK_MIN_MINUTES, COMPLAINT_LABELS_ZH as ZH, DUPLICATE_MINUTES, PUBLIC_USER_ID, REOPEN_DAYS, complaintDeadlines, complaintTextKey, complaintStepPayload, dueAfterWorkingDays, maskName, maskPhone, newNoticeItems,
  publicActor, type Actor, type ComplaintIntakeResult, type ComplaintQuery, type ComplaintView, type Page,
  type ComplaintSummaryView, type PublicComplaintInput, type PublicComplaintResult, type PublicComplaintStatus,
  callbackSchema, closeComplaintSchema, escalateSchema, escalationReplySchema, extensionDecisionSchema, extensionRequestSchema,
  handlingRecordSchema, noticeSchema, reopenSchema, transferSchema, type IntakeComplaintInput,
} from '@linggong/domain';
import { Pii, ProblemException, TenantDb, afterCommit, applyAccess, assertAccess, isoOf, lockRow, newId, notFound, unprocessable } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { FactsService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { SanctionsService } from '@linggong/api-jobs';
import { ComplaintTimers } from './complaint-timers';
import {
  complaintFor, dueSoonLimit, fullView, requireOpen, resolveLimit, shanghaiToday, summaries, timerFacts,
} from './complaint-rows';
import { COMPLAINT_ACCESS, type ComplaintExtensionRow, type ComplaintNoticeRow, type ComplaintRow } from './rows';

/** What a step needs of its complaint: its id and scope. */
type ComplaintRef = Pick<ComplaintRow, 'id' | 'tenant_id' | 'market_id' | 'region_code'>;

type In<S extends z.core.$ZodType> = z.infer<S>;


const hashCode = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
/** Tracking codes avoid look-alike characters (0/O, 1/I) so they can be read out on the phone. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function trackingCode(): string {
  const bytes = randomBytes(10);
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/**
 * Complaints and reports (issue 6): intake from every channel (R-D1), first-contact responsibility,
 * working-day time limits and one-time notification (R-C2), handling records, escalation and
 * referral — wage arrears to labour inspection with the employer flagged (R-B8, R-D2) —, closure,
 * callback and reopening. Every step is a complaint record, an audit event and (for the operator's
 * own steps) a work-log entry, in one transaction.
 */
@Injectable()
export class ComplaintsService implements OnModuleInit {
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly facts: FactsService, private readonly pii: Pii,
    private readonly timers: ComplaintTimers, private readonly markets: MarketDirectoryService, private readonly registry: RegistryDirectoryService,
    private readonly sanctions: SanctionsService,
  ) {}

  /** The audit log shows complaints by their reference number (issue 17 §4), those the reader may read (RLS). */
  onModuleInit(): void {
    this.audit.registerSubjectNames('Complaint', async (em, _reader, ids) => new Map(
      (await em.query<{ id: string; reference: string }[]>('SELECT id, reference FROM complaints WHERE id = ANY($1::uuid[])', [ids])).map((r) => [r.id, r.reference])));
  }

  // ── Intake ──────────────────────────────────────────────────────────────────────────────────

  /** Staff take a complaint (hotline, on site, 12345 transfer); the receiver owns it (首问负责). */
  async intake(actor: Actor, input: IntakeComplaintInput): Promise<ComplaintIntakeResult> {
    const out = await this.db.run(actor, async (em) => {
      const scope = await this.markets.scopeOf(em, input.marketId);
      if (!scope) throw unprocessable('not_found', 'marketId');
      assertAccess(actor, 'create', 'Complaint', { tenantId: scope.tenantId, regionCode: scope.regionCode, marketId: input.marketId });
      await this.checkParties(em, scope.tenantId as string, input);
      return this.insert(em, actor, { ...input, tenantId: scope.tenantId as string, regionCode: scope.regionCode });
    });
    return { complaint: out.view, trackingCode: out.code };
  }

  /** The market's public page (no sign-in, R-D1): a tracking code comes back, shown once. */
  async submitPublic(marketId: string, input: PublicComplaintInput): Promise<PublicComplaintResult> {
    const out = await this.asPublic(marketId, async (em, actor, scope) =>
      this.insert(em, actor, { ...input, marketId, channel: 'public_page', tenantId: scope.tenantId, regionCode: scope.regionCode }));
    return { reference: out.view.reference, trackingCode: out.code as string, ackDue: out.view.ackDue, resolveDue: out.view.resolveDue };
  }

  private async insert(
    em: EntityManager, actor: Actor,
    input: (IntakeComplaintInput | (PublicComplaintInput & { marketId: string; channel: 'public_page' })) & { tenantId: string; regionCode: string },
  ) {
    const today = await shanghaiToday(em);
    const limit = await resolveLimit(em, input.regionCode, input.category);
    const due = complaintDeadlines(today, limit);
    const id = newId();
    const code = trackingCode();
    // 10 random hex characters a day: collisions stay negligible at national volumes.
    const reference = `TS${today.replace(/-/g, '')}-${id.replace(/-/g, '').slice(-10).toUpperCase()}`;
    const named = !input.anonymous && input.name;
    const staff = input.channel === 'public_page' ? null : (input as IntakeComplaintInput);
    const mobileIndex = input.mobile ? this.pii.index('mobile', input.mobile) : null;
    const duplicateOf = await this.repeatedComplaint(em, input.marketId, input.content, mobileIndex);
    await em.query(
      `INSERT INTO complaints (id, tenant_id, market_id, region_code, reference, tracking_hash, channel, gov_reference, category, content, about, anonymous,
         name_enc, name_masked, mobile_enc, mobile_masked, mobile_bidx, worker_id, employer_id, post_id, staff_user_id, received_day, received_by,
         owner_user_id, resolve_limit_days, clock_from, ack_due, resolve_due, due_provisional, duplicate_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23, $24, $22, $25, $26, $27, $28)`,
      [id, input.tenantId, input.marketId, input.regionCode, reference, hashCode(code), input.channel, staff?.govReference ?? null,
        input.category, input.content, input.about ?? null, input.anonymous, named ? this.pii.encrypt(input.name as string) : null, named ? maskName(input.name as string) : null,
        input.mobile ? this.pii.encrypt(input.mobile) : null, maskPhone(input.mobile), mobileIndex,
        staff?.workerId ?? null, staff?.employerId ?? null, staff?.postId ?? null, staff?.staffUserId ?? null, today, actor.userId, limit,
        due.ack.day, due.resolve.day, due.ack.provisional || due.resolve.provisional, duplicateOf?.id ?? null]);
    await this.step(em, actor, { id, tenant_id: input.tenantId, market_id: input.marketId, region_code: input.regionCode }, 'received',
      `收到投诉（${ZH[input.channel]}）${duplicateOf ? `，疑似重复（与 ${duplicateOf.reference} 相同）` : ''}`,
      { channel: input.channel, category: input.category, ackDue: due.ack.day, resolveDue: due.resolve.day, limitDays: limit, ...(duplicateOf ? { duplicateOf: duplicateOf.id } : {}) });
    const [row] = await em.query<ComplaintRow[]>('SELECT * FROM complaints WHERE id = $1', [id]);
    afterCommit(em, () => this.timers.scheduleQuietly(timerFacts(row)));
    return { view: await fullView(em, id, today), code };
  }

  /**
   * The complaint an intake repeats: the same words (complaintTextKey) from the same number — or from
   * none — at the same market within DUPLICATE_MINUTES. Intakes of a market are serialised for the
   * check (a transaction-scoped advisory lock), so two identical submissions at the same instant
   * cannot both look original.
   */
  private async repeatedComplaint(em: EntityManager, marketId: string, content: string, mobileIndex: string | null): Promise<{ id: string; reference: string } | null> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('complaint-intake:' || $1))`, [marketId]);
    const recent = await em.query<{ id: string; reference: string; content: string; duplicate_of: string | null }[]>(
      `SELECT id, reference, content, duplicate_of FROM complaints
       WHERE market_id = $1 AND received_at > now() - make_interval(mins => $2) AND mobile_bidx IS NOT DISTINCT FROM $3
       ORDER BY received_at, id`, [marketId, DUPLICATE_MINUTES, mobileIndex]);
    const key = complaintTextKey(content);
    const same = recent.find((r) => complaintTextKey(r.content) === key);
    if (!same) return null;
    // A third repetition points at the first complaint, not at the second.
    if (same.duplicate_of) return (await em.query<{ id: string; reference: string }[]>('SELECT id, reference FROM complaints WHERE id = $1', [same.duplicate_of]))[0] ?? same;
    return { id: same.id, reference: same.reference };
  }

  /** Linked parties must belong to the complaint's operator (a stranger's id is refused, not silently stored). */
  private async checkParties(em: EntityManager, tenantId: string, input: IntakeComplaintInput): Promise<void> {
    if (input.workerId) {
      const w = await this.registry.worker(em, input.workerId);
      if (!w || w.tenantId !== tenantId) throw unprocessable('not_found', 'workerId');
    }
    if (input.employerId) {
      const e = await this.registry.employer(em, input.employerId);
      if (!e || e.tenantId !== tenantId) throw unprocessable('not_found', 'employerId');
    }
    if (input.postId) {
      const [p] = await em.query('SELECT tenant_id FROM posts WHERE id = $1', [input.postId]);
      if (!p || p.tenant_id !== tenantId) throw unprocessable('not_found', 'postId');
    }
    if (input.staffUserId) {
      const [u] = await em.query('SELECT tenant_id FROM users WHERE id = $1', [input.staffUserId]);
      if (!u || u.tenant_id !== tenantId) throw unprocessable('not_found', 'staffUserId');
    }
  }

  // ── Reading ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Upheld discrimination complaints of some markets (model markets, issue 15 §5): received in [from, to] and closed
   * substantiated in full or in part, per market. In the caller's transaction; the caller has checked access.
   */
  async upheldDiscriminationIn(em: EntityManager, marketIds: string[], from: string, to: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!marketIds.length) return out;
    const rows: { market_id: string; n: number }[] = await em.query(
      `SELECT market_id, count(*)::int AS n FROM complaints WHERE market_id = ANY($1::uuid[]) AND category = 'discrimination' AND status = 'closed'
         AND result IN ('substantiated', 'partly_substantiated') AND received_day BETWEEN $2 AND $3 GROUP BY market_id`, [marketIds, from, to]);
    for (const r of rows) out.set(r.market_id, r.n);
    return out;
  }

  list(actor: Actor, q: ComplaintQuery): Promise<Page<ComplaintSummaryView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('complaints', 'c');
      if (!applyAccess(qb, actor, 'read', 'Complaint', COMPLAINT_ACCESS('c'))) {
        return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      const today = await shanghaiToday(em);
      if (q.marketId) qb.andWhere('c.market_id = :market', { market: q.marketId });
      if (q.status === 'open') qb.andWhere(`c.status <> 'closed'`);
      else if (q.status) qb.andWhere('c.status = :st', { st: q.status });
      if (q.category) qb.andWhere('c.category = :cat', { cat: q.category });
      if (q.due === 'overdue') qb.andWhere(`c.status <> 'closed' AND c.resolve_due < :today`, { today });
      if (q.due === 'soon') qb.andWhere(`c.status <> 'closed' AND c.resolve_due >= :today AND c.resolve_due <= :soon`, { today, soon: dueSoonLimit(today) });
      if (q.mine === 'true') qb.andWhere('c.owner_user_id = :me', { me: actor.userId });
      if (q.q) qb.andWhere('(c.reference ILIKE :q OR c.content ILIKE :q OR c.gov_reference ILIKE :q)', { q: `%${q.q.replace(/[%_\\]/g, '')}%` });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('c.id', 'id').orderBy(`(c.status = 'closed')`, 'ASC').addOrderBy('c.resolve_due', 'ASC').addOrderBy('c.received_at', 'DESC')
        .addOrderBy('c.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      return { items: await summaries(em, ids.map((r) => r.id), today), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  get(actor: Actor, id: string): Promise<ComplaintView> {
    return this.db.run(actor, async (em) => {
      await complaintFor(em, actor, id, 'read');
      return fullView(em, id, await shanghaiToday(em));
    });
  }

  /** The complainant's name or mobile in full, for the handler's call; every look is an audit event. */
  reveal(actor: Actor, id: string, field: 'name' | 'mobile'): Promise<{ field: 'name' | 'mobile'; value: string | null }> {
    return this.db.run(actor, async (em) => {
      const c = await complaintFor(em, actor, id, 'reveal');
      const stored = c[field === 'name' ? 'name_enc' : 'mobile_enc'] as string | null;
      await this.audit.record(em, actor, { action: 'complaint.reveal', subjectType: 'Complaint', subjectId: id, tenantId: c.tenant_id, regionCode: c.region_code, summary: { field } });
      return { field, value: stored ? this.pii.decrypt(stored) : null };
    });
  }

  /** Who can take over a complaint at its market: handlers, the manager, the operator's admins. */
  transferTargets(actor: Actor, id: string): Promise<{ id: string; displayName: string; roles: string[] }[]> {
    return this.db.run(actor, async (em) => {
      const c = await complaintFor(em, actor, id, 'update');
      return this.targetsOf(em, c);
    });
  }

  /** The colleagues a complaint may be transferred to (read-only from the tenancy tables; README "Boundaries"). */
  private async targetsOf(em: EntityManager, c: ComplaintRow): Promise<{ id: string; displayName: string; roles: string[] }[]> {
    const rows = await em.query<{ id: string; display_name: string; roles: string[] }[]>(
      `SELECT u.id, u.display_name, u.roles FROM users u
       WHERE u.tenant_id = $1 AND u.id <> $3 AND u.status = 'active'
         AND ('operator_admin' = ANY(u.roles) OR (('complaint_handler' = ANY(u.roles) OR 'market_manager' = ANY(u.roles))
              AND EXISTS (SELECT 1 FROM user_markets um WHERE um.user_id = u.id AND um.market_id = $2)))
       ORDER BY u.display_name`, [c.tenant_id, c.market_id, c.owner_user_id]);
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, roles: r.roles }));
  }

  // ── Handling ────────────────────────────────────────────────────────────────────────────────

  acknowledge(actor: Actor, id: string): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      if (c.acknowledged_at) throw new ProblemException(409, 'complaint_already_acknowledged');
      await em.query(`UPDATE complaints SET acknowledged_at = now(), status = 'in_progress', updated_at = now() WHERE id = $1`, [id]);
      await this.takeIfPublic(em, actor, c);
      await this.step(em, actor, c, 'acknowledged', '已受理并告知投诉人', {});
    });
  }

  record(actor: Actor, id: string, input: In<typeof handlingRecordSchema>): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      if (input.attachments.length) {
        const found = await em.query('SELECT hash FROM ledger_attachments WHERE hash = ANY($1) AND tenant_id = $2', [input.attachments, c.tenant_id]);
        if (found.length !== new Set(input.attachments).size) throw unprocessable('ledger_attachment_missing', 'attachments');
      }
      await this.startIfReceived(em, c, actor);
      await this.step(em, actor, c, input.kind, input.content, {}, input.attachments);
    });
  }

  /**
   * One-time notification (一次性告知, R-C2): everything missing is listed in one notice. A later
   * notice that asks for something new is refused unless the handler confirms it, and is then
   * recorded with what it added, which the boards count.
   */
  notice(actor: Actor, id: string, input: In<typeof noticeSchema>): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      const earlier: { items: string[] }[] = await em.query('SELECT items FROM complaint_notices WHERE complaint_id = $1', [id]);
      const added = earlier.length ? newNoticeItems(earlier.map((n) => n.items), input.items) : [];
      if (added.length && !input.confirmNewItems) {
        throw new ProblemException(409, 'notice_new_items', [{ field: 'items', key: 'notice_new_items' }], undefined, { newItems: added });
      }
      await em.query(
        `INSERT INTO complaint_notices (id, complaint_id, tenant_id, market_id, region_code, items, new_items, note, created_by, author_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [newId(), id, c.tenant_id, c.market_id, c.region_code, input.items, added, input.note ?? null, actor.userId, actor.username]);
      await this.startIfReceived(em, c, actor);
      await this.step(em, actor, c, 'notice', `一次性告知需补充：${input.items.join('、')}`, { items: input.items, newItems: added, repeat: earlier.length > 0 });
    });
  }

  transfer(actor: Actor, id: string, input: In<typeof transferSchema>): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      if (c.owner_user_id !== actor.userId && !actor.roles.includes('operator_admin')) throw new ProblemException(403, 'complaint_not_owner');
      const [pending] = await em.query(`SELECT 1 FROM complaint_transfers WHERE complaint_id = $1 AND status = 'pending'`, [id]);
      if (pending) throw new ProblemException(409, 'complaint_transfer_pending');
      if (!(await this.targetsOf(em, c)).some((u) => u.id === input.toUserId)) throw unprocessable('complaint_transfer_target', 'toUserId');
      await em.query(
        `INSERT INTO complaint_transfers (id, complaint_id, tenant_id, market_id, region_code, from_user_id, to_user_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [newId(), id, c.tenant_id, c.market_id, c.region_code, c.owner_user_id, input.toUserId, input.reason]);
      await this.step(em, actor, c, 'transfer_requested', `申请转交：${input.reason}`, { toUserId: input.toUserId });
    });
  }

  /** Only the named receiver accepts or declines; until then the first receiver still owns it. */
  decideTransfer(actor: Actor, id: string, accept: boolean): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      const [t] = await em.query(`SELECT * FROM complaint_transfers WHERE complaint_id = $1 AND status = 'pending' FOR UPDATE`, [id]);
      if (!t) throw new ProblemException(409, 'complaint_no_pending_transfer');
      if (t.to_user_id !== actor.userId) throw new ProblemException(403, 'complaint_transfer_not_yours');
      await em.query(`UPDATE complaint_transfers SET status = $2, decided_at = now() WHERE id = $1`, [t.id, accept ? 'accepted' : 'declined']);
      if (accept) await em.query('UPDATE complaints SET owner_user_id = $2, updated_at = now() WHERE id = $1', [id, actor.userId]);
      await this.step(em, actor, c, accept ? 'transfer_accepted' : 'transfer_declined', accept ? '接收转交，成为责任人' : '拒绝接收转交', { fromUserId: t.from_user_id });
    }, 'update');
  }

  requestExtension(actor: Actor, id: string, input: In<typeof extensionRequestSchema>): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      // An extension must be asked for in time; once the limit has passed the complaint is late, whatever follows.
      if ((await shanghaiToday(em)) > c.resolve_due) throw new ProblemException(409, 'complaint_overdue');
      const [pending] = await em.query(`SELECT 1 FROM complaint_extensions WHERE complaint_id = $1 AND status = 'pending'`, [id]);
      if (pending) throw new ProblemException(409, 'complaint_extension_pending');
      await em.query(
        `INSERT INTO complaint_extensions (id, complaint_id, tenant_id, market_id, region_code, working_days, reason, requested_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [newId(), id, c.tenant_id, c.market_id, c.region_code, input.workingDays, input.reason, actor.userId]);
      await this.step(em, actor, c, 'extension_requested', `申请延期 ${input.workingDays} 个工作日：${input.reason}`, { workingDays: input.workingDays });
    });
  }

  /** An extension moves the deadline only when someone other than the requester approves it. */
  async decideExtension(actor: Actor, id: string, input: In<typeof extensionDecisionSchema>): Promise<ComplaintView> {
    // The county's 'verify' is for what is escalated to it; extensions are the operator's own decision.
    if (actor.orgKind !== 'operator' && actor.orgKind !== 'platform') throw new ProblemException(403, 'forbidden');
    const view = await this.change(actor, id, async (em, c) => {
      const [x] = await em.query<ComplaintExtensionRow[]>(`SELECT * FROM complaint_extensions WHERE complaint_id = $1 AND status = 'pending' FOR UPDATE`, [id]);
      if (!x) throw new ProblemException(409, 'complaint_no_pending_extension');
      if (x.requested_by === actor.userId) throw new ProblemException(409, 'complaint_extension_same_person');
      let newDue: string | null = null;
      if (input.approve) {
        const total = c.extension_days + x.working_days;
        const due = dueAfterWorkingDays(c.clock_from, c.resolve_limit_days + total);
        newDue = due.day;
        await em.query(
          `UPDATE complaints SET extension_days = $2, resolve_due = $3, due_provisional = $4, reminded_for = NULL, updated_at = now() WHERE id = $1`,
          [id, total, due.day, due.provisional]);
      }
      await em.query(`UPDATE complaint_extensions SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4, new_due = $5 WHERE id = $1`,
        [x.id, input.approve ? 'approved' : 'rejected', actor.userId, input.note ?? null, newDue]);
      await this.step(em, actor, c, 'extension_decided', input.approve ? `批准延期至 ${newDue}` : `不予延期${input.note ? `：${input.note}` : ''}`, { approve: input.approve, newDue });
      const timers = timerFacts((await em.query<ComplaintRow[]>('SELECT * FROM complaints WHERE id = $1', [id]))[0]);
      afterCommit(em, () => this.timers.scheduleQuietly(timers));
    }, 'verify');
    return view;
  }

  /**
   * Escalation and referral (issue 6 §6): to the county bureau; wage arrears to labour inspection
   * (劳动监察) with the employer flagged in the registry (R-B8); to the police for violence or fraud.
   */
  escalate(actor: Actor, id: string, input: In<typeof escalateSchema>): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      const [open] = await em.query(`SELECT 1 FROM complaint_escalations WHERE complaint_id = $1 AND target = $2 AND status <> 'concluded'`, [id, input.target]);
      if (open) throw new ProblemException(409, 'complaint_escalation_open');
      if (input.target === 'labour_inspection') {
        if (c.category !== 'wage_arrears') throw unprocessable('complaint_referral_wage_only', 'target');
        const employerId = c.employer_id ?? input.employerId;
        if (!employerId) throw unprocessable('complaint_employer_required', 'employerId');
        const e = await this.registry.employer(em, employerId);
        if (!e || e.tenantId !== c.tenant_id) throw unprocessable('not_found', 'employerId');
        if (!c.employer_id) await em.query('UPDATE complaints SET employer_id = $2, updated_at = now() WHERE id = $1', [id, employerId]);
        await this.sanctions.referIn(em, actor, e, {
          referredTo: '劳动保障监察机构', amountOwedFen: input.amountOwedFen as number, workersAffected: input.workersAffected ?? 1,
          description: `投诉 ${c.reference}：${input.reason}`, referredAt: new Date().toISOString(),
        });
      }
      await this.insertEscalation(em, actor, c, input.target, input.reason, false);
      await this.startIfReceived(em, c, actor);
    });
  }

  async insertEscalation(em: EntityManager, actor: Actor, c: ComplaintRow, target: string, reason: string, automatic: boolean): Promise<string> {
    const escId = newId();
    // An automatic escalation carries the deadline it is for: once per deadline (a reopened complaint has a new one).
    await em.query(
      `INSERT INTO complaint_escalations (id, complaint_id, tenant_id, market_id, region_code, target, reason, automatic, overdue_for, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [escId, c.id, c.tenant_id, c.market_id, c.region_code, target, reason, automatic, automatic ? c.resolve_due : null, actor.userId]);
    await this.step(em, actor, c, 'escalated', `${automatic ? '超期自动' : ''}上报/移送（${ZH[target]}）：${reason}`, { escalationId: escId, target, automatic });
    return escId;
  }

  /**
   * The receiving side records acceptance and outcome: the county bureau itself for what reached it;
   * for labour inspection and the police, the handler records what they answered (their reference).
   */
  replyEscalation(actor: Actor, id: string, escalationId: string, input: In<typeof escalationReplySchema>, side: 'county' | 'external'): Promise<ComplaintView> {
    return this.db.run(actor, async (em) => {
      const c = await complaintFor(em, actor, id, side === 'county' ? 'verify' : 'update');
      const [x] = await em.query('SELECT * FROM complaint_escalations WHERE id = $1 AND complaint_id = $2 FOR UPDATE', [escalationId, id]);
      if (!x) throw notFound();
      // What reached the county bureau is answered by the bureau; what went to labour inspection or the police, by the operator's handler.
      if ((x.target === 'county_bureau') !== (side === 'county')) throw new ProblemException(403, side === 'county' ? 'complaint_not_county_escalation' : 'complaint_county_only');
      if (side === 'county' && actor.orgKind !== 'county' && actor.orgKind !== 'platform') throw new ProblemException(403, 'complaint_county_only');
      if (input.step === 'accepted' && x.status !== 'sent') throw new ProblemException(409, 'complaint_escalation_state');
      if (input.step === 'concluded' && x.status === 'concluded') throw new ProblemException(409, 'complaint_escalation_state');
      if (input.step === 'accepted') {
        await em.query('UPDATE complaint_escalations SET status = $2, accepted_at = now(), accepted_by = $3, accept_note = $4, reference = COALESCE($5, reference) WHERE id = $1',
          [escalationId, 'accepted', actor.userId, input.note, input.reference ?? null]);
      } else {
        await em.query(`UPDATE complaint_escalations SET status = 'concluded', accepted_at = COALESCE(accepted_at, now()), accepted_by = COALESCE(accepted_by, $2),
            concluded_at = now(), concluded_by = $2, outcome = $3, reference = COALESCE($4, reference) WHERE id = $1`, [escalationId, actor.userId, input.note, input.reference ?? null]);
      }
      const content = `${input.step === 'accepted' ? '已接收' : '办理结果'}（${ZH[x.target]}）：${input.note}`;
      const data = { escalationId, target: x.target, step: input.step, reference: input.reference ?? null };
      if (actor.orgKind === 'operator' || actor.orgKind === 'platform') {
        await this.step(em, actor, c, 'escalation_reply', content, data);
      } else {
        // The county's answer goes on the complaint's record and the audit trail; the work log is the operator's own.
        await this.insertRecord(em, actor, c, 'escalation_reply', content, data, []);
        await this.audit.record(em, actor, { action: 'complaint.escalation_reply', subjectType: 'Complaint', subjectId: id, tenantId: c.tenant_id, regionCode: c.region_code, summary: data });
      }
      return fullView(em, id, await shanghaiToday(em));
    });
  }

  close(actor: Actor, id: string, input: In<typeof closeComplaintSchema>): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      const today = await shanghaiToday(em);
      const late = today > c.resolve_due;
      await em.query(`UPDATE complaints SET status = 'closed', closed_at = now(), closed_by = $2, closed_late = $3, result = $4, result_summary = $5,
          acknowledged_at = COALESCE(acknowledged_at, now()), updated_at = now() WHERE id = $1`, [id, actor.userId, late, input.result, input.summary]);
      // Nothing is left pending on a closed complaint.
      await em.query(`UPDATE complaint_transfers SET status = 'declined', decided_at = now() WHERE complaint_id = $1 AND status = 'pending'`, [id]);
      await em.query(`UPDATE complaint_extensions SET status = 'rejected', decided_at = now(), decision_note = '办结时撤销' WHERE complaint_id = $1 AND status = 'pending'`, [id]);
      await this.step(em, actor, c, 'closed', `办结（${ZH[input.result]}）：${input.summary}`, { result: input.result, late });
    });
  }

  /** 回访: the complainant's satisfaction, after closure. */
  callback(actor: Actor, id: string, input: In<typeof callbackSchema>): Promise<ComplaintView> {
    return this.change(actor, id, async (em, c) => {
      if (c.status !== 'closed') throw new ProblemException(409, 'complaint_not_closed');
      if (c.callback_at) throw new ProblemException(409, 'complaint_callback_done');
      // A check of the handling by the one who handled it is no check (issue 17 §7).
      if (c.closed_by === actor.userId) throw new ProblemException(409, 'complaint_callback_by_closer');
      const [{ soon }] = await em.query<{ soon: boolean }[]>(`SELECT closed_at > now() - make_interval(mins => $2) AS soon FROM complaints WHERE id = $1`, [id, CALLBACK_MIN_MINUTES]);
      if (soon) throw new ProblemException(409, 'complaint_callback_too_soon');
      await em.query('UPDATE complaints SET callback_at = now(), callback_by = $2, satisfaction = $3, callback_note = $4, updated_at = now() WHERE id = $1',
        [id, actor.userId, input.satisfaction, input.note ?? null]);
      await this.step(em, actor, c, 'callback', `回访：${ZH[input.satisfaction]}${input.note ? `，${input.note}` : ''}`, { satisfaction: input.satisfaction });
    }, 'update', true);
  }

  /** Reopened at the complainant's request within REOPEN_DAYS of closure; the clock starts again today. */
  async reopen(actor: Actor, id: string, input: In<typeof reopenSchema>): Promise<ComplaintView> {
    const view = await this.change(actor, id, async (em, c) => {
      await this.reopenIn(em, actor, c, input.reason);
    }, 'update', true);
    return view;
  }

  private async reopenIn(em: EntityManager, actor: Actor, c: ComplaintRow, reason: string) {
    if (c.status !== 'closed') throw new ProblemException(409, 'complaint_not_closed');
    const [{ late }] = await em.query<{ late: boolean }[]>(`SELECT closed_at < now() - make_interval(days => $2) AS late FROM complaints WHERE id = $1`, [c.id, REOPEN_DAYS]);
    if (late) throw new ProblemException(409, 'complaint_reopen_expired');
    const today = await shanghaiToday(em);
    const due = dueAfterWorkingDays(today, c.resolve_limit_days);
    await em.query(`UPDATE complaints SET status = 'in_progress', reopen_count = reopen_count + 1, clock_from = $2, extension_days = 0, resolve_due = $3,
        due_provisional = $4, reminded_for = NULL, overdue_escalated_at = NULL, closed_at = NULL, closed_by = NULL, closed_late = NULL, result = NULL, result_summary = NULL,
        callback_at = NULL, callback_by = NULL, satisfaction = NULL, callback_note = NULL, updated_at = now() WHERE id = $1`, [c.id, today, due.day, due.provisional]);
    await this.step(em, actor, c, 'reopened', `重新办理：${reason}`, { resolveDue: due.day, previousResult: c.result, previousSatisfaction: c.satisfaction });
    const timers = timerFacts((await em.query<ComplaintRow[]>('SELECT * FROM complaints WHERE id = $1', [c.id]))[0]);
    afterCommit(em, () => this.timers.scheduleQuietly(timers));
  }

  // ── Public tracking ────────────────────────────────────────────────────────────────────────

  async publicStatus(code: string): Promise<PublicComplaintStatus> {
    return this.byCode(code, async (em, c) => {
      const notices = await em.query<ComplaintNoticeRow[]>('SELECT items, note, created_at FROM complaint_notices WHERE complaint_id = $1 ORDER BY created_at', [c.id]);
      const [m] = await em.query<{ name: string }[]>('SELECT name FROM markets WHERE id = $1', [c.market_id]);
      const closedAt = c.closed_at;
      const reopenUntil = closedAt ? new Date(closedAt.getTime() + REOPEN_DAYS * 86_400_000) : null;
      return {
        reference: c.reference, category: c.category, status: c.status,
        receivedAt: isoOf(c.received_at), acknowledgedAt: isoOf(c.acknowledged_at),
        resolveDue: c.resolve_due, marketName: m?.name ?? '',
        notices: notices.map((n) => ({ items: n.items, note: n.note ?? null, createdAt: isoOf(n.created_at) })),
        result: c.result ?? null, resultSummary: c.result_summary ?? null, closedAt: closedAt?.toISOString() ?? null,
        reopenUntil: reopenUntil?.toISOString() ?? null, canReopen: !!reopenUntil && reopenUntil.getTime() > Date.now(),
      };
    });
  }

  async reopenPublic(code: string, reason: string): Promise<PublicComplaintStatus> {
    await this.byCode(code, async (em, c, actor) => {
      await this.reopenIn(em, actor, (await lockRow<ComplaintRow>(em, 'complaints', c.id)) as ComplaintRow, reason);
    });
    return this.publicStatus(code);
  }

  private async byCode<T>(code: string, fn: (em: EntityManager, c: ComplaintRow, actor: Actor) => Promise<T>): Promise<T> {
    if (!/^[A-Za-z0-9]{10}$/.test(code.trim())) throw notFound();
    const scope = await this.db.dataSource.transaction(async (em) => (await em.query('SELECT * FROM public_complaint_scope($1)', [hashCode(code)]))[0]);
    if (!scope) throw notFound();
    const actor = publicActor(scope.tenant_id, scope.market_id);
    return this.db.run(actor, async (em) => fn(em, (await em.query<ComplaintRow[]>('SELECT * FROM complaints WHERE id = $1', [scope.id]))[0], actor));
  }

  private async asPublic<T>(marketId: string, fn: (em: EntityManager, actor: Actor, scope: { tenantId: string; regionCode: string }) => Promise<T>): Promise<T> {
    // The open market's tenant, outside any scope, through the markets' public definer function (as the jobs context's public pages do).
    const scope = await this.db.dataSource.transaction(async (em) => (await em.query('SELECT tenant_id, region_code FROM public_market_scope($1)', [marketId]))[0]);
    if (!scope) throw notFound();
    const actor = publicActor(scope.tenant_id, marketId);
    return this.db.run(actor, (em) => fn(em, actor, { tenantId: scope.tenant_id, regionCode: scope.region_code }));
  }

  // ── Steps ───────────────────────────────────────────────────────────────────────────────────

  /** Loads and checks the complaint, runs the change, and answers with the complaint as it now is. */
  private change(actor: Actor, id: string, fn: (em: EntityManager, c: ComplaintRow) => Promise<void>, action: 'update' | 'verify' = 'update', closedOk = false): Promise<ComplaintView> {
    return this.db.run(actor, async (em) => {
      const c = await complaintFor(em, actor, id, action, true);
      if (!closedOk) requireOpen(c);
      await fn(em, c);
      return fullView(em, id, await shanghaiToday(em));
    });
  }

  private async startIfReceived(em: EntityManager, c: ComplaintRow, actor?: Actor): Promise<void> {
    // Any handling step acknowledges the complaint as received and being handled.
    if (!c.acknowledged_at) {
      await em.query(`UPDATE complaints SET acknowledged_at = now(), status = 'in_progress', updated_at = now() WHERE id = $1 AND acknowledged_at IS NULL`, [c.id]);
    }
    if (actor) await this.takeIfPublic(em, actor, c);
  }

  /** A complaint filed on the public page has no staff receiver: the first staff member to handle it owns it (首问负责). */
  private async takeIfPublic(em: EntityManager, actor: Actor, c: ComplaintRow): Promise<void> {
    if (c.owner_user_id === PUBLIC_USER_ID && actor.userId !== PUBLIC_USER_ID) {
      await em.query('UPDATE complaints SET owner_user_id = $2 WHERE id = $1 AND owner_user_id = $3', [c.id, actor.userId, PUBLIC_USER_ID]);
    }
  }

  private async insertRecord(em: EntityManager, actor: Actor, c: ComplaintRef, kind: string, content: string, data: Record<string, unknown>, attachments: string[]): Promise<string> {
    const recId = newId();
    await em.query(
      `INSERT INTO complaint_records (id, complaint_id, tenant_id, market_id, region_code, kind, content, attachments, data, author_user_id, author_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [recId, c.id, c.tenant_id, c.market_id, c.region_code, kind, content, attachments, JSON.stringify(data), actor.userId, actor.username]);
    return recId;
  }

  /**
   * One step of a complaint: its record, its work-log entry (the payload carries ids and codes, never
   * the complainant's name, mobile or words: the chain cannot be erased) and its audit event.
   */
  async step(em: EntityManager, actor: Actor, c: ComplaintRef, kind: string, content: string, data: Record<string, unknown>, attachments: string[] = []): Promise<void> {
    const recId = await this.insertRecord(em, actor, c, kind, content, data, attachments);
    const payload = complaintStepPayload(c.id, recId, kind, data);
    await this.facts.record(em, actor, { marketId: c.market_id, kind: 'complaint_step', step: kind, subjectType: 'Complaint', subjectId: c.id, payload, attachments, summary: { recordId: recId, ...payload } });
  }
}
