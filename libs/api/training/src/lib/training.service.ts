import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  ATTENDANCE_EARLY_MINUTES, type Action, type Actor, type AttendanceView, type CourseDetailView, type CourseView, type CreateCourseInput,
  type CreateSessionInput, type DemandSummaryRow, type EnrolmentDetailView, type EnrolmentView, type LaterPlacementView, type Page,
  type TrainingDemandInput, type TrainingDemandView, type TrainingSessionView, completionReached, requiredHours as requiredShare, subsidyEligible, subsidyReasons,
  certificateSchema, courseQuerySchema, trainingLedgerQuerySchema, type Lang, demandSummaryQuerySchema, enrolSchema, enrolmentQuerySchema, trainingDemandQuerySchema,
} from '@linggong/domain';
import { ProblemException, SHANGHAI_TODAY_SQL as TODAY, TenantDb, applyAccess, assertAccess, conflict, isoOf, newId, notFound, queryRow, queryRows, rowForChange, scopeOf, unprocessable, containsPattern } from '@linggong/api-core';
import { AuditService } from '@linggong/api-audit';
import { FactsService } from '@linggong/api-ledger';
import { MarketDirectoryService } from '@linggong/api-markets';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { DEFAULT_ALG } from '@linggong/ledger-chain';
import { trainingLedgerWorkbook } from './training-ledger';
import {
  TRAINING_ACCESS, type AttendanceRow, type CourseViewRow, type DemandViewRow, type EnrolmentViewRow, type LedgerExportRow,
  type TrainingEnrolmentRow, type TrainingTables,
} from './rows';

/** A numeric column (text from the driver) as a number. */
const num = (v: string | number | null) => Number(v ?? 0);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_SIGNATURE_BYTES = 200 * 1024;
const ACCESS = TRAINING_ACCESS;

/**
 * Per enrolment: sessions of its course, those attended and their hours, and whether the worker has
 * an ID number on file (the registry's workers table, read-only: a read model listed in the README).
 */
const ENROLMENT_SELECT = `SELECT e.*, c.title AS course_title, c.occupation, c.hours AS course_hours, c.completion_percent,
    w.name AS worker_name, w.mobile_masked AS worker_mobile, w.id_bidx IS NOT NULL AS has_id_number,
    (SELECT count(*)::int FROM training_sessions s WHERE s.course_id = e.course_id) AS total_sessions,
    (SELECT count(*)::int FROM training_attendance a WHERE a.enrolment_id = e.id) AS attended_sessions,
    (SELECT COALESCE(sum(s.hours), 0) FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id WHERE a.enrolment_id = e.id) AS attended_hours_now
  FROM training_enrolments e JOIN training_courses c ON c.id = e.course_id JOIN workers w ON w.id = e.worker_id`;

/**
 * Training (R-B10): demand collected from workers, the course catalogue by demand, sessions,
 * enrolment, attendance (signed on screen at the desk, or by the session's QR), completion and
 * certificates, the subsidy-eligibility flag with its reasons, and the trainee's later referrals.
 * Every business step appends its work-log entry in the same transaction (issue 3).
 */
@Injectable()
export class TrainingService {
  constructor(
    private readonly db: TenantDb, private readonly audit: AuditService, private readonly facts: FactsService,
    private readonly markets: MarketDirectoryService, private readonly registry: RegistryDirectoryService,
  ) {}

  // ── Demand ──────────────────────────────────────────────────────────────────────────────────

  createDemand(actor: Actor, marketId: string, input: TrainingDemandInput): Promise<TrainingDemandView> {
    return this.db.run(actor, async (em) => {
      const m = await this.requireMarket(em, actor, marketId, 'create');
      await this.requireWorker(em, input.workerId, m.tenantId);
      const id = newId();
      await em.query(
        `INSERT INTO training_demands (id, tenant_id, market_id, region_code, worker_id, occupation, skill, note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, m.tenantId, marketId, m.regionCode, input.workerId, input.occupation, input.skill, input.note, actor.userId]);
      await this.facts.record(em, actor, { marketId, kind: 'training_demand', subjectType: 'TrainingDemand', subjectId: id, payload: { demandId: id, workerId: input.workerId, occupation: input.occupation, skill: input.skill } });
      const [row] = await queryRows<DemandViewRow>(em, `${DEMAND_SELECT} WHERE d.id = $1`, [id]);
      return demandView(row);
    });
  }

  listDemands(actor: Actor, q: z.infer<typeof trainingDemandQuerySchema>): Promise<Page<TrainingDemandView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('training_demands', 'd');
      if (!applyAccess(qb, actor, 'read', 'Training', ACCESS('d'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.marketId) qb.andWhere('d.market_id = :m', { m: q.marketId });
      if (q.workerId) qb.andWhere('d.worker_id = :w', { w: q.workerId });
      if (q.occupation) qb.andWhere('d.occupation = :o', { o: q.occupation });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('d.id', 'id').orderBy('d.created_at', 'DESC').addOrderBy('d.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows = ids.length ? await queryRows<DemandViewRow>(em, `${DEMAND_SELECT} WHERE d.id = ANY($1::uuid[]) ORDER BY d.created_at DESC, d.id`, [ids.map((r) => r.id)]) : [];
      return { items: rows.map(demandView), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  /** The catalogue by demand (R-B10 按需施培): per occupation, how many asked and how many courses exist. */
  demandSummary(actor: Actor, q: z.infer<typeof demandSummaryQuerySchema>): Promise<DemandSummaryRow[]> {
    return this.db.run(actor, async (em) => {
      const count = async (table: string, alias: string, expr: string) => {
        const qb = em.createQueryBuilder().from(table, alias);
        if (!applyAccess(qb, actor, 'read', 'Training', ACCESS(alias))) return [] as { occupation: string; n: number }[];
        if (q.marketId) qb.andWhere(`${alias}.market_id = :m`, { m: q.marketId });
        return qb.select(`${alias}.occupation`, 'occupation').addSelect(expr, 'n').groupBy(`${alias}.occupation`).getRawMany<{ occupation: string; n: number }>();
      };
      const demands = await count('training_demands', 'd', 'count(DISTINCT d.worker_id)::int');
      const courses = await count('training_courses', 'c', 'count(*)::int');
      const byOcc = new Map<string, DemandSummaryRow>();
      for (const d of demands) byOcc.set(d.occupation, { occupation: d.occupation, demands: d.n, courses: 0, lacksCourse: true });
      for (const c of courses) {
        const r = byOcc.get(c.occupation) ?? { occupation: c.occupation, demands: 0, courses: 0, lacksCourse: false };
        r.courses = c.n;
        r.lacksCourse = r.demands > 0 && c.n === 0;
        byOcc.set(c.occupation, r);
      }
      // Occupations that lack a course first, then by demand.
      return [...byOcc.values()].sort((a, b) => Number(b.lacksCourse) - Number(a.lacksCourse) || b.demands - a.demands || a.occupation.localeCompare(b.occupation));
    });
  }

  // ── Courses and sessions ────────────────────────────────────────────────────────────────────

  createCourse(actor: Actor, marketId: string, input: CreateCourseInput): Promise<CourseDetailView> {
    return this.db.run(actor, async (em) => {
      const m = await this.requireMarket(em, actor, marketId, 'create');
      const id = newId();
      await em.query(
        `INSERT INTO training_courses (id, tenant_id, market_id, region_code, title, occupation, skill, hours, mode, free, fee_fen, provider,
           completion_percent, description, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [id, m.tenantId, marketId, m.regionCode, input.title, input.occupation, input.skill, input.hours, input.mode, input.free, input.feeFen,
          input.provider, input.completionPercent, input.description, actor.userId]);
      await this.facts.record(em, actor, { marketId, kind: 'training_plan', step: 'course', subjectType: 'TrainingCourse', subjectId: id, payload: {
        plan: 'course', courseId: id, title: input.title, occupation: input.occupation, hours: input.hours, mode: input.mode, free: input.free, feeFen: input.feeFen,
      } });
      return this.courseDetail(em, id);
    });
  }

  listCourses(actor: Actor, q: z.infer<typeof courseQuerySchema>): Promise<Page<CourseView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('training_courses', 'c');
      if (!applyAccess(qb, actor, 'read', 'Training', ACCESS('c'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.marketId) qb.andWhere('c.market_id = :m', { m: q.marketId });
      if (q.occupation) qb.andWhere('c.occupation = :o', { o: q.occupation });
      if (q.q) qb.andWhere('c.title ILIKE :q', { q: containsPattern(q.q) });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('c.id', 'id').orderBy('c.created_at', 'DESC').addOrderBy('c.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows = ids.length ? await queryRows<CourseViewRow>(em, `${COURSE_SELECT} WHERE c.id = ANY($1::uuid[]) ORDER BY c.created_at DESC, c.id`, [ids.map((r) => r.id)]) : [];
      return { items: rows.map(courseView), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  getCourse(actor: Actor, id: string): Promise<CourseDetailView> {
    return this.db.run(actor, async (em) => {
      await this.requireRow(em, actor, 'training_courses', id, 'read');
      return this.courseDetail(em, id);
    });
  }

  createSession(actor: Actor, courseId: string, input: CreateSessionInput): Promise<TrainingSessionView> {
    return this.db.run(actor, async (em) => {
      const c = await this.requireRow(em, actor, 'training_courses', courseId, 'create');
      // Sessions of one course never overlap (their hours would count twice): the course row is locked so
      // that two concurrent plans cannot both pass the check.
      await em.query('SELECT 1 FROM training_courses WHERE id = $1 FOR UPDATE', [courseId]);
      const clash = await em.query('SELECT 1 FROM training_sessions WHERE course_id = $1 AND starts_at < $3 AND ends_at > $2 LIMIT 1', [courseId, input.startsAt, input.endsAt]);
      if (clash.length) throw conflict('session_overlap', 'startsAt');
      const id = newId();
      await em.query(
        `INSERT INTO training_sessions (id, tenant_id, market_id, region_code, course_id, trainer, place, topic, starts_at, ends_at, hours, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [id, c.tenant_id, c.market_id, c.region_code, courseId, input.trainer, input.place, input.topic, input.startsAt, input.endsAt, input.hours, actor.userId]);
      await this.facts.record(em, actor, { marketId: c.market_id, kind: 'training_plan', step: 'session', subjectType: 'TrainingSession', subjectId: id, payload: {
        plan: 'session', sessionId: id, courseId, trainer: input.trainer, place: input.place,
        startsAt: new Date(input.startsAt).toISOString(), endsAt: new Date(input.endsAt).toISOString(), hours: input.hours,
      } });
      return (await this.sessions(em, courseId, id))[0];
    });
  }

  /** A new QR sign-in code for the session (shown in the classroom); the old one stops working. Only its hash is kept. */
  issueSessionToken(actor: Actor, sessionId: string): Promise<{ sessionId: string; token: string }> {
    return this.db.run(actor, async (em) => {
      const s = await this.requireRow(em, actor, 'training_sessions', sessionId, 'update');
      const token = randomBytes(18).toString('base64url');
      await em.query('UPDATE training_sessions SET qr_token_hash = $2 WHERE id = $1', [sessionId, sha256(token)]);
      await this.audit.record(em, actor, { action: 'training.session_qr', subjectType: 'TrainingSession', subjectId: sessionId, tenantId: s.tenant_id, regionCode: s.region_code, summary: {} });
      return { sessionId, token };
    });
  }

  // ── Enrolment, attendance, completion, certificates ─────────────────────────────────────────

  enrol(actor: Actor, courseId: string, input: z.infer<typeof enrolSchema>): Promise<EnrolmentDetailView> {
    return this.db.run(actor, async (em) => {
      const c = await this.requireRow(em, actor, 'training_courses', courseId, 'create');
      await this.requireWorker(em, input.workerId, c.tenant_id);
      if (input.demandId) {
        const d = await queryRow<{ worker_id: string }>(em, 'SELECT worker_id FROM training_demands WHERE id = $1', [input.demandId]);
        if (!d || d.worker_id !== input.workerId) throw unprocessable('demand_other_worker', 'demandId');
      }
      if ((await em.query('SELECT 1 FROM training_enrolments WHERE course_id = $1 AND worker_id = $2', [courseId, input.workerId])).length) {
        throw conflict('enrolment_exists', 'workerId');
      }
      const id = newId();
      await em.query(
        `INSERT INTO training_enrolments (id, tenant_id, market_id, region_code, course_id, worker_id, demand_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, c.tenant_id, c.market_id, c.region_code, courseId, input.workerId, input.demandId ?? null, actor.userId]);
      await this.facts.record(em, actor, { marketId: c.market_id, kind: 'training_enrolment', subjectType: 'TrainingEnrolment', subjectId: id, payload: {
        enrolmentId: id, courseId, workerId: input.workerId, demandId: input.demandId ?? null,
      } });
      return this.enrolmentDetail(em, id);
    });
  }

  listEnrolments(actor: Actor, q: z.infer<typeof enrolmentQuerySchema>): Promise<Page<EnrolmentView>> {
    return this.db.run(actor, async (em) => {
      const qb = em.createQueryBuilder().from('training_enrolments', 'e');
      if (!applyAccess(qb, actor, 'read', 'Training', ACCESS('e'))) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      if (q.marketId) qb.andWhere('e.market_id = :m', { m: q.marketId });
      if (q.courseId) qb.andWhere('e.course_id = :c', { c: q.courseId });
      if (q.workerId) qb.andWhere('e.worker_id = :w', { w: q.workerId });
      if (q.status) qb.andWhere('e.status = :s', { s: q.status });
      const total = await qb.clone().select('count(*)::int', 'n').getRawOne<{ n: number }>();
      const ids = await qb.select('e.id', 'id').orderBy('e.created_at', 'DESC').addOrderBy('e.id').offset((q.page - 1) * q.pageSize).limit(q.pageSize).getRawMany<{ id: string }>();
      const rows = ids.length ? await queryRows<EnrolmentViewRow>(em, `${ENROLMENT_SELECT} WHERE e.id = ANY($1::uuid[]) ORDER BY e.created_at DESC, e.id`, [ids.map((r) => r.id)]) : [];
      return { items: rows.map(enrolmentView), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
    });
  }

  getEnrolment(actor: Actor, id: string): Promise<EnrolmentDetailView> {
    return this.db.run(actor, async (em) => {
      await this.requireRow(em, actor, 'training_enrolments', id, 'read');
      return this.enrolmentDetail(em, id);
    });
  }

  /** At the desk: the trainee signs on the screen; the PNG and its hash are the evidence. */
  recordDeskAttendance(actor: Actor, sessionId: string, input: { enrolmentId: string; signature: string }): Promise<AttendanceView> {
    return this.db.run(actor, async (em) => {
      const s = await this.requireRow(em, actor, 'training_sessions', sessionId, 'create');
      const png = Buffer.from(input.signature.slice(input.signature.indexOf(',') + 1), 'base64');
      if (png.length < 67 || png.length > MAX_SIGNATURE_BYTES || !png.subarray(0, 8).equals(PNG_MAGIC)) throw new ProblemException(400, 'validation_failed', [{ field: 'signature', key: 'signature_invalid' }]);
      const e = await queryRow<EnrolledRef>(em, 'SELECT id, worker_id, status FROM training_enrolments WHERE id = $1 AND course_id = $2', [input.enrolmentId, s.course_id]);
      if (!e) throw unprocessable('not_enrolled', 'enrolmentId');
      const r = await this.attendIn(em, actor, s, e, 'signature', png);
      if (!r.created) throw conflict('attendance_exists', 'enrolmentId');
      return r.view;
    });
  }

  /**
   * One attendance, the same for the desk and the QR page: refused outside the session's sign-in
   * window (R-B10: an hour signed for a session nobody sat is subsidy fraud); one per session and trainee.
   */
  async attendIn(em: EntityManager, actor: Actor, s: TrainingTables['training_sessions'], e: EnrolledRef, method: 'signature' | 'qr', png: Buffer | null): Promise<{ created: boolean; view: AttendanceView }> {
    const [w] = await em.query<{ open: boolean; opens_at: Date; closes_at: Date }[]>(
      `SELECT now() >= starts_at - make_interval(mins => $2) AND now() <= ends_at AS open, starts_at - make_interval(mins => $2) AS opens_at, ends_at AS closes_at
       FROM training_sessions WHERE id = $1`, [s.id, ATTENDANCE_EARLY_MINUTES]);
    if (!w.open) {
      throw new ProblemException(422, 'attendance_outside_session', [{ field: 'sessionId', key: 'attendance_outside_session' }], undefined,
        { opensAt: isoOf(w.opens_at), closesAt: isoOf(w.closes_at) });
    }
    // One trainee's sign-ins are serialised (desk and QR alike), so the checks below hold under concurrency.
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('training_attendance:' || $1::text, 0))`, [e.worker_id]);
    const [existing] = await em.query<{ id: string }[]>('SELECT id FROM training_attendance WHERE session_id = $1 AND enrolment_id = $2', [s.id, e.id]);
    if (existing) return { created: false, view: await this.attendanceView(em, existing.id) };
    // Nobody sits two classes at once: refused when the worker already signed in for an overlapping session
    // of any course of the operator.
    const overlap = await em.query(
      `SELECT 1 FROM training_attendance a JOIN training_sessions o ON o.id = a.session_id JOIN training_sessions s ON s.id = $2
       WHERE a.worker_id = $1 AND a.tenant_id = s.tenant_id AND o.id <> s.id AND o.starts_at < s.ends_at AND o.ends_at > s.starts_at LIMIT 1`,
      [e.worker_id, s.id]);
    if (overlap.length) throw conflict('attendance_overlap', 'sessionId');
    const id = newId();
    const hash = png ? createHash(DEFAULT_ALG).update(png).digest('hex') : null;
    // A concurrent sign-in of the same trainee that got in first makes this one "already signed in", never a 409.
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO training_attendance (id, tenant_id, market_id, region_code, session_id, enrolment_id, worker_id, method, signed_at, signature,
         signature_hash, hash_alg, recorded_by, recorded_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9, $10, $11, $12, $13)
       ON CONFLICT (session_id, enrolment_id) DO NOTHING RETURNING id`,
      [id, s.tenant_id, s.market_id, s.region_code, s.id, e.id, e.worker_id, method, png, hash, hash ? DEFAULT_ALG : null,
        actor.userId, actor.username || null]);
    if (!inserted.length) {
      const [first] = await em.query<{ id: string }[]>('SELECT id FROM training_attendance WHERE session_id = $1 AND enrolment_id = $2', [s.id, e.id]);
      return { created: false, view: await this.attendanceView(em, first.id) };
    }
    await this.facts.record(em, actor, { marketId: s.market_id, kind: 'training_attendance', subjectType: 'TrainingAttendance', subjectId: id, payload: {
      attendanceId: id, sessionId: s.id, courseId: s.course_id, enrolmentId: e.id, workerId: e.worker_id, method,
      signatureHash: hash, hashAlg: hash ? DEFAULT_ALG : null,
    } });
    return { created: true, view: await this.attendanceView(em, id) };
  }

  /** The stored signature image, for the training ledger's reviewer. */
  signature(actor: Actor, attendanceId: string): Promise<{ png: Buffer; hash: string }> {
    return this.db.run(actor, async (em) => {
      await this.requireRow(em, actor, 'training_attendance', attendanceId, 'read');
      const [a] = await em.query<{ signature: Buffer | null; signature_hash: string; tenant_id: string; region_code: string }[]>('SELECT signature, signature_hash, tenant_id, region_code FROM training_attendance WHERE id = $1', [attendanceId]);
      if (!a.signature) throw notFound();
      // A person's signature is personal data: each viewing is an audit event.
      await this.audit.record(em, actor, { action: 'training.signature_view', subjectType: 'TrainingAttendance', subjectId: attendanceId, tenantId: a.tenant_id, regionCode: a.region_code, summary: {} });
      return { png: a.signature, hash: a.signature_hash };
    });
  }

  /** Completion: attended hours reach the course's required share (R-B10). */
  complete(actor: Actor, enrolmentId: string): Promise<EnrolmentDetailView> {
    return this.db.run(actor, async (em) => {
      const e = await this.requireRow(em, actor, 'training_enrolments', enrolmentId, 'update');
      if (e.status !== 'enrolled') throw new ProblemException(409, 'enrolment_state');
      const [v] = await queryRows<EnrolmentViewRow>(em, `${ENROLMENT_SELECT} WHERE e.id = $1`, [enrolmentId]);
      const attended = num(v.attended_hours_now);
      const required = requiredHours(v);
      if (!completionReached(attended, required)) {
        throw new ProblemException(409, 'training_hours_short', undefined, undefined, { attendedHours: attended, requiredHours: required });
      }
      await em.query(`UPDATE training_enrolments SET status = 'completed', attended_hours = $2, completed_at = now(), completed_by = $3 WHERE id = $1`, [enrolmentId, attended, actor.userId]);
      await this.facts.record(em, actor, { marketId: e.market_id, kind: 'training_completion', step: 'completed', subjectType: 'TrainingEnrolment', subjectId: enrolmentId, payload: {
        step: 'completed', enrolmentId, courseId: v.course_id, workerId: v.worker_id, attendedHours: attended, requiredHours: required,
      } });
      return this.enrolmentDetail(em, enrolmentId);
    });
  }

  issueCertificate(actor: Actor, enrolmentId: string, input: z.infer<typeof certificateSchema>): Promise<EnrolmentDetailView> {
    return this.db.run(actor, async (em) => {
      const e = await this.requireRow(em, actor, 'training_enrolments', enrolmentId, 'update');
      if (e.status !== 'completed') throw new ProblemException(409, 'certificate_before_completion');
      if (e.certificate_number) throw new ProblemException(409, 'enrolment_state');
      const [t] = await em.query<{ today: string; completed: string }[]>(`SELECT ${TODAY} AS today, ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS completed`, [e.completed_at]);
      if (input.issuedOn > t.today) throw unprocessable('certificate_future', 'issuedOn');
      if (input.issuedOn < t.completed) throw unprocessable('certificate_before_completion', 'issuedOn');
      if ((await em.query('SELECT 1 FROM training_enrolments WHERE tenant_id = $1 AND certificate_number = $2', [e.tenant_id, input.number])).length) {
        throw conflict('certificate_exists', 'number');
      }
      await em.query('UPDATE training_enrolments SET certificate_number = $2, certificate_issued_on = $3, certificate_by = $4 WHERE id = $1',
        [enrolmentId, input.number, input.issuedOn, actor.userId]);
      await this.facts.record(em, actor, { marketId: e.market_id, kind: 'training_completion', step: 'certificate', subjectType: 'TrainingEnrolment', subjectId: enrolmentId, payload: {
        step: 'certificate', enrolmentId, courseId: e.course_id, workerId: e.worker_id, certificateNumber: input.number, issuedOn: input.issuedOn,
      } });
      return this.enrolmentDetail(em, enrolmentId);
    });
  }

  // ── Helpers (also used by the QR page and the ledger export) ────────────────────────────────

  async requireMarket(em: EntityManager, actor: Actor, marketId: string, action: Action) {
    const m = await this.markets.scopeOf(em, marketId);
    if (!m) throw notFound();
    assertAccess(actor, 'read', 'Market', { id: marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    assertAccess(actor, action, 'Training', { marketId, tenantId: m.tenantId, regionCode: m.regionCode });
    // A market not (or no longer) assigned to an operator has no one to run training.
    if (!m.tenantId) throw new ProblemException(409, 'market_not_in_tenant');
    return { ...m, tenantId: m.tenantId };
  }

  /** A row of one of this context's tables, checked against the ability: invisible → 404, not allowed → 403. */
  /** The row for a read, or locked for a change of it or under it (api-core `rowForChange`, issue 12). */
  requireRow<T extends keyof TrainingTables>(em: EntityManager, actor: Actor, table: T, id: string, action: Action): Promise<TrainingTables[T]> {
    return rowForChange<TrainingTables[T]>(em, actor, action, 'Training', table, id, scopeOf);
  }

  private async requireWorker(em: EntityManager, workerId: string, tenantId: string) {
    const w = await this.registry.worker(em, workerId);
    if (!w || w.tenantId !== tenantId) throw unprocessable('worker_not_registered', 'workerId');
    return w;
  }

  async courseDetail(em: EntityManager, id: string): Promise<CourseDetailView> {
    const [row] = await queryRows<CourseViewRow>(em, `${COURSE_SELECT} WHERE c.id = $1`, [id]);
    return { ...courseView(row), sessionList: await this.sessions(em, id) };
  }

  private async sessions(em: EntityManager, courseId: string, sessionId?: string): Promise<TrainingSessionView[]> {
    const rows = await queryRows<TrainingTables['training_sessions'] & { attended: number }>(em,
      `SELECT s.*, (SELECT count(*)::int FROM training_attendance a WHERE a.session_id = s.id) AS attended
       FROM training_sessions s WHERE s.course_id = $1 AND ($2::uuid IS NULL OR s.id = $2) ORDER BY s.starts_at, s.id`, [courseId, sessionId ?? null]);
    return rows.map((r) => ({
      id: r.id, courseId: r.course_id, trainer: r.trainer, place: r.place, topic: r.topic,
      startsAt: isoOf(r.starts_at), endsAt: isoOf(r.ends_at), hours: num(r.hours), attended: r.attended,
      qrIssued: r.qr_token_hash != null,
    }));
  }

  async enrolmentDetail(em: EntityManager, id: string): Promise<EnrolmentDetailView> {
    const [row] = await queryRows<EnrolmentViewRow>(em, `${ENROLMENT_SELECT} WHERE e.id = $1`, [id]);
    const attendance = await queryRows<AttendanceRow>(em, `${ATTENDANCE_SELECT} WHERE a.enrolment_id = $1 ORDER BY a.signed_at`, [id]);
    // 培训+技能+推荐+就业: the trainee's recommendations and hires since enrolment, read from the 即时快招
    // tables (placements, posts) read-only — a read model listed in the README.
    const later = await queryRows<{ id: string; status: string; created_at: Date; title: string; occupation: string }>(em,
      `SELECT pl.id, pl.status, pl.created_at, p.title, p.occupation FROM placements pl JOIN posts p ON p.id = pl.post_id
       WHERE pl.worker_id = $1 AND pl.created_at >= $2 ORDER BY pl.created_at LIMIT 50`, [row.worker_id, row.created_at]);
    return {
      ...enrolmentView(row),
      attendance: attendance.map(attendanceRow),
      laterPlacements: later.map((p): LaterPlacementView => ({
        placementId: p.id, postTitle: p.title, occupation: p.occupation, status: p.status,
        recommendedAt: isoOf(p.created_at), sameOccupation: p.occupation === row.occupation,
      })),
    };
  }

  private async attendanceView(em: EntityManager, id: string): Promise<AttendanceView> {
    const [row] = await queryRows<AttendanceRow>(em, `${ATTENDANCE_SELECT} WHERE a.id = $1`, [id]);
    return attendanceRow(row);
  }

  /** The training ledger (培训台账) as .xlsx, masked; the export itself is audited. */
  exportLedger(actor: Actor, q: z.infer<typeof trainingLedgerQuerySchema>, lang: Lang): Promise<Buffer> {
    return this.db.run(actor, async (em) => {
      const rows = await this.ledgerRows(em, actor, q);
      await this.audit.record(em, actor, {
        action: 'training.ledger_export', subjectType: 'TrainingEnrolment', tenantId: actor.tenantId ?? null, regionCode: actor.regionPrefix || null,
        summary: { rows: rows.length, marketId: q.marketId ?? null, courseId: q.courseId ?? null, from: q.from ?? null, to: q.to ?? null },
      });
      return trainingLedgerWorkbook(rows, lang);
    });
  }

  /** The enrolments behind the training ledger export, visible to the caller (same rules as the list). */
  async ledgerRows(em: EntityManager, actor: Actor, q: { marketId?: string; courseId?: string; from?: string; to?: string }): Promise<(EnrolmentView & { row: LedgerExportRow })[]> {
    const qb = em.createQueryBuilder().from('training_enrolments', 'e');
    if (!applyAccess(qb, actor, 'read', 'Training', ACCESS('e'))) return [];
    if (q.marketId) qb.andWhere('e.market_id = :m', { m: q.marketId });
    if (q.courseId) qb.andWhere('e.course_id = :c', { c: q.courseId });
    if (q.from) qb.andWhere(`(e.created_at AT TIME ZONE 'Asia/Shanghai')::date >= :from`, { from: q.from });
    if (q.to) qb.andWhere(`(e.created_at AT TIME ZONE 'Asia/Shanghai')::date <= :to`, { to: q.to });
    const ids = await qb.select('e.id', 'id').limit(50_001).getRawMany<{ id: string }>();
    if (ids.length > 50_000) throw unprocessable('export_too_many_rows', 'courseId');
    const rows = ids.length ? await queryRows<LedgerExportRow>(em,
      `SELECT x.*, w.id_masked, mk.name AS market_name, c.mode, c.free, c.provider,
         (SELECT min(s.starts_at) FROM training_sessions s WHERE s.course_id = x.course_id) AS first_session,
         (SELECT max(s.ends_at) FROM training_sessions s WHERE s.course_id = x.course_id) AS last_session
       FROM (${ENROLMENT_SELECT} WHERE e.id = ANY($1::uuid[])) x JOIN workers w ON w.id = x.worker_id JOIN training_courses c ON c.id = x.course_id
       JOIN markets mk ON mk.id = x.market_id ORDER BY mk.name, c.title, x.created_at, x.id`, [ids.map((r) => r.id)]) : [];
    return rows.map((r) => ({ ...enrolmentView(r), row: r }));
  }
}

const DEMAND_SELECT = `SELECT d.*, w.name AS worker_name,
    EXISTS (SELECT 1 FROM training_enrolments e JOIN training_courses c ON c.id = e.course_id
            WHERE e.demand_id = d.id OR (e.worker_id = d.worker_id AND c.occupation = d.occupation)) AS enrolled
  FROM training_demands d JOIN workers w ON w.id = d.worker_id`;
const COURSE_SELECT = `SELECT c.*, mk.name AS market_name,
    (SELECT count(*)::int FROM training_sessions s WHERE s.course_id = c.id) AS session_count,
    (SELECT COALESCE(sum(s.hours), 0) FROM training_sessions s WHERE s.course_id = c.id) AS planned_hours,
    (SELECT count(*)::int FROM training_enrolments e WHERE e.course_id = c.id) AS enrolled,
    (SELECT count(*)::int FROM training_enrolments e WHERE e.course_id = c.id AND e.status = 'completed') AS completed
  FROM training_courses c JOIN markets mk ON mk.id = c.market_id`;
const ATTENDANCE_SELECT = 'SELECT a.id, a.session_id, a.enrolment_id, a.worker_id, a.method, a.signed_at, a.signature_hash, a.hash_alg, a.recorded_by_name FROM training_attendance a';

function sha256(v: string): string {
  return createHash('sha256').update(v).digest('hex');
}

function requiredHours(r: EnrolmentViewRow): number {
  return requiredShare(num(r.course_hours), r.completion_percent);
}

function demandView(r: DemandViewRow): TrainingDemandView {
  return {
    id: r.id, marketId: r.market_id, workerId: r.worker_id, workerName: r.worker_name,
    occupation: r.occupation, skill: r.skill, note: r.note, enrolled: r.enrolled,
    createdAt: isoOf(r.created_at),
  };
}

function courseView(r: CourseViewRow): CourseView {
  return {
    id: r.id, tenantId: r.tenant_id, marketId: r.market_id, marketName: r.market_name ?? null,
    title: r.title, occupation: r.occupation, skill: r.skill, hours: num(r.hours), mode: r.mode,
    free: r.free, feeFen: num(r.fee_fen), provider: r.provider, completionPercent: r.completion_percent,
    description: r.description, sessions: r.session_count, plannedHours: num(r.planned_hours), enrolled: r.enrolled,
    completed: r.completed, createdAt: isoOf(r.created_at),
  };
}

/** The facts the subsidy rule (`subsidyReasons` in @linggong/domain) looks at, from an enrolment's row. */
function subsidyFacts(r: EnrolmentViewRow) {
  return {
    totalSessions: r.total_sessions, attendedSessions: r.attended_sessions, attendedHours: num(r.attended_hours_now),
    requiredHours: requiredHours(r), hasIdNumber: r.has_id_number, certificateNumber: r.certificate_number,
  };
}

function enrolmentView(r: EnrolmentViewRow): EnrolmentView {
  const reasons = subsidyReasons(subsidyFacts(r));
  return {
    id: r.id, marketId: r.market_id, courseId: r.course_id, courseTitle: r.course_title,
    occupation: r.occupation, workerId: r.worker_id, workerName: r.worker_name, workerMobile: r.worker_mobile,
    status: r.status, attendedSessions: r.attended_sessions, totalSessions: r.total_sessions,
    attendedHours: num(r.attended_hours_now), requiredHours: requiredHours(r), completedAt: isoOf(r.completed_at),
    certificateNumber: r.certificate_number,
    certificateIssuedOn: r.certificate_issued_on,
    subsidyEligible: subsidyEligible(reasons), subsidyReasons: reasons, createdAt: isoOf(r.created_at),
  };
}

function attendanceRow(r: AttendanceRow): AttendanceView {
  return {
    id: r.id, sessionId: r.session_id, enrolmentId: r.enrolment_id, workerId: r.worker_id,
    method: r.method, signedAt: isoOf(r.signed_at), signatureHash: r.signature_hash,
    hashAlg: r.hash_alg, recordedByName: r.recorded_by_name,
  };
}

/** The enrolment a sign-in is for. */
type EnrolledRef = Pick<TrainingEnrolmentRow, 'id' | 'worker_id' | 'status'>;
