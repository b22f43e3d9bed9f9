import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { OCCUPATION_NAMES } from '@linggong/domain';
import { DEFAULT_ALG } from '@linggong/ledger-chain';
import { PUBLIC_ACTOR, addDays, dayStart, holidayFactor, type DemoWorker, type MarketActivity, type ServiceSimulation, type StaffRef } from './demo-activity';
import { Rng, uuidv7 } from './demo-data';

/**
 * Training demo (issue 5 §2, R-B10) over a market's simulated 90 days: workers' training demand, a
 * few courses for the most asked-for occupations (one asked-for occupation is left without a course,
 * so the demand summary shows a gap), sessions on working days, enrolments, attendance signed on the
 * desk screen (a drawn PNG and its SM3 hash) or by QR, inside each session's sign-in window,
 * completion where the hours reach the course's share, certificates — each with the work-log entry
 * TrainingService appends (same kind, subject and payload). Deterministic per market; nothing after
 * `now`; entries on sealed days between 07:00 and 18:30 Asia/Shanghai. The today-only variant adds nothing.
 */

const MIN = 60_000;
const PHONE_LIKE = /(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)/;
/** What people ask to be trained for at a gig market (skills that raise a day wage, R-B10). */
const WANTED = ['电工', '焊工', '育婴员', '养老护理员', '家政服务员', '叉车司机', '中式烹调师', '美容美发'].filter((o) => (OCCUPATION_NAMES as string[]).includes(o));
const TITLES: Record<string, string> = {
  电工: '低压电工作业实操培训班', 焊工: '焊工（熔化焊接）技能培训班', 育婴员: '育婴员（五级）培训班', 养老护理员: '养老护理员技能培训班',
  家政服务员: '家政服务员培训班', 叉车司机: '叉车司机安全操作培训班', 中式烹调师: '中式烹调师（初级）培训班', 美容美发: '美发实用技术培训班',
};
const TRAINERS = ['王建国', '李秀兰', '张志强', '刘红梅', '陈国华', '赵立新'];
const PROVIDERS = ['县职业技能培训学校', '县人力资源服务中心培训部', '县技工学校'];
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const workingDay = (day: string) => weekday(day) >= 1 && weekday(day) <= 5 && holidayFactor(day) >= 0.9;
const at = (day: string, h: number, m = 0) => dayStart(day) + (h * 60 + m) * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

/** A small grayscale PNG of a signature-like stroke, so each desk attendance has real image bytes to hash. */
export function signaturePng(rng: Rng): Buffer {
  const w = 120;
  const h = 40;
  const px = Buffer.alloc((w + 1) * h, 255);
  for (let y = 0; y < h; y++) px[y * (w + 1)] = 0;
  let y = rng.int(12, 28);
  for (let x = 6; x < w - 6; x++) {
    y = Math.max(3, Math.min(h - 4, y + rng.int(-2, 2)));
    for (let t = 0; t < 2; t++) px[(y + t) * (w + 1) + 1 + x] = 20;
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px)), chunk('IEND', Buffer.alloc(0))]);
}

export const simulateTraining: ServiceSimulation = (a, ctx) => {
  if (ctx.historyDays < 30) return;
  const m = a.market;
  const rng = new Rng(`linggong-demo-training:${m.key}`);
  const base = { tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode };
  const first = addDays(ctx.today, -ctx.historyDays);
  const beforeNow = (ms: number, day: string) => (day < ctx.today ? true : ms <= ctx.now - MIN);
  // After the 即时快招 events at the same millisecond (their order numbers are small).
  let order = 1_000_000_000;
  const emit = (ms: number, kind: string, subjectType: string, subjectId: string, actor: StaffRef, payload: Record<string, unknown>) =>
    a.events.push({ at: Math.floor(ms), order: order++, kind, subjectType, subjectId, actor, payload: () => payload });
  const active = a.workers.filter((w) => w.status === 'active');
  if (active.length < 20) return;
  const station = m.type === 'station';

  // Demand: some workers ask for training, on a working day after they registered.
  const demands: Record<string, unknown>[] = [];
  const demandOf = new Map<string, { id: string; worker: DemoWorker; occupation: string; at: number }[]>();
  const wanted = rng.pick([WANTED.slice(0, 5), WANTED.slice(1, 6), WANTED.slice(2, 8)]);
  for (const w of active) {
    if (!rng.chance(station ? 0.05 : 0.08)) continue;
    let day = addDays(w.regDay, rng.int(0, 30));
    while (!workingDay(day) && day < ctx.today) day = addDays(day, 1);
    if (day >= ctx.today) continue;
    const ms = Math.max(at(day, 8, rng.int(0, 59)), w.regAt + 5 * MIN);
    if (ms > at(day, 17, 30)) continue;
    const occupation = rng.weighted(wanted.map((o, i) => [o, wanted.length - i] as const));
    const id = uuidv7(rng, ms);
    const skill = occupation === '电工' ? '低压电工作业证' : occupation === '焊工' ? '熔化焊接与热切割' : '';
    demands.push({ id, ...base, worker_id: w.id, occupation, skill, note: '', created_by: m.desk.id, created_at: iso(ms) });
    emit(ms, 'training_demand', 'TrainingDemand', id, m.desk, { demandId: id, workerId: w.id, occupation, skill });
    const list = demandOf.get(occupation) ?? [];
    list.push({ id, worker: w, occupation, at: ms });
    demandOf.set(occupation, list);
  }

  // Courses for the most asked-for occupations, leaving the least asked-for one without a course.
  const ranked = [...demandOf.entries()].sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]));
  const offered = ranked.slice(0, Math.max(1, Math.min(station ? 1 : 3, ranked.length - 1)));
  const courses: Record<string, unknown>[] = [];
  const sessions: Record<string, unknown>[] = [];
  const enrolments: Record<string, unknown>[] = [];
  const attendance: Record<string, unknown>[] = [];
  let certNo = 0;
  offered.forEach(([occupation, asked], ci) => {
    // The course is planned once demand has built up, a few weeks in.
    let day = addDays(first, 25 + ci * 18 + rng.int(0, 6));
    while (!workingDay(day)) day = addDays(day, 1);
    if (day >= ctx.today) return;
    const created = at(day, 9, rng.int(0, 50));
    const courseId = uuidv7(rng, created);
    const mode = occupation === '育婴员' && rng.chance(0.5) ? 'online' : 'classroom';
    // Sessions: four working days from a few days later, mornings or afternoons, 2.5 h each.
    const count = 4;
    const afternoon = rng.chance(0.5);
    const slots: { id: string; day: string; start: number; end: number }[] = [];
    let sd = addDays(day, rng.int(3, 6));
    while (slots.length < count) {
      if (workingDay(sd)) {
        const start = afternoon ? at(sd, 14, 0) : at(sd, 9, 0);
        slots.push({ id: '', day: sd, start, end: start + 150 * MIN });
      }
      sd = addDays(sd, 1);
    }
    const hours = count * 2.5;
    const title = TITLES[occupation] ?? `${occupation}技能培训班`;
    const provider = `${m.name.replace(/零工.*$/, '')}${rng.pick(PROVIDERS)}`.replace(/县县/, '县');
    courses.push({ id: courseId, ...base, title, occupation, skill: asked[0].occupation === '电工' ? '低压电工作业证' : '', hours, mode, free: true, fee_fen: 0,
      provider, completion_percent: 80, description: '', created_by: m.manager.id, created_at: iso(created) });
    emit(created, 'training_plan', 'TrainingCourse', courseId, m.manager, { plan: 'course', courseId, title, occupation, hours, mode, free: true, feeFen: 0 });
    slots.forEach((s, i) => {
      const ms = created + (i + 1) * 3 * MIN;
      s.id = uuidv7(rng, ms);
      const trainer = TRAINERS[(ci * 2 + (i % 2)) % TRAINERS.length];
      const place = mode === 'online' ? '线上直播课堂' : `${m.name}二楼培训室`;
      sessions.push({ id: s.id, ...base, course_id: courseId, trainer, place, topic: `第${i + 1}讲`, starts_at: iso(s.start), ends_at: iso(s.end), hours: 2.5,
        qr_token_hash: createHash('sha256').update(`demo-session:${s.id}`).digest('hex'), created_by: m.manager.id, created_at: iso(ms) });
      emit(ms, 'training_plan', 'TrainingSession', s.id, m.manager, { plan: 'session', sessionId: s.id, courseId, trainer, place, startsAt: iso(s.start), endsAt: iso(s.end), hours: 2.5 });
    });

    // Enrolment: those who asked (and registered before the course), plus a few others, before the first session.
    const firstStart = slots[0].start;
    const trainees = new Map<string, { worker: DemoWorker; demandId: string | null }>();
    for (const d of asked) if (d.at < firstStart - 60 * MIN && trainees.size < 22) trainees.set(d.worker.id, { worker: d.worker, demandId: d.id });
    for (const w of active) {
      if (trainees.size >= (station ? 8 : 16) || w.regAt > created) continue;
      if (!trainees.has(w.id) && rng.chance(0.04)) trainees.set(w.id, { worker: w, demandId: null });
    }
    for (const { worker, demandId } of trainees.values()) {
      // Enrolled on a working day between the course's creation (or the demand) and the day before the first session.
      let ed = addDays(day, rng.int(0, 2));
      while (!workingDay(ed)) ed = addDays(ed, 1);
      if (ed >= slots[0].day) ed = day;
      const lower = Math.max(at(ed, 8, 30), worker.regAt + MIN, created + 20 * MIN);
      const enrolAt = Math.min(lower + rng.int(0, 300) * MIN, at(ed, 17, 30));
      if (enrolAt < lower || !beforeNow(enrolAt, ed)) continue;
      const enrolmentId = uuidv7(rng, enrolAt);
      emit(enrolAt, 'training_enrolment', 'TrainingEnrolment', enrolmentId, m.desk, { enrolmentId, courseId, workerId: worker.id, demandId });
      // Attendance: most trainees come to most sessions, signing within the window (30 minutes before to the end).
      const diligent = rng.chance(0.75);
      let hoursAttended = 0;
      let attended = 0;
      let lastEnd = 0;
      for (const s of slots) {
        if (!rng.chance(diligent ? 0.97 : 0.6)) continue;
        const signedAt = s.start + rng.int(-20, 25) * MIN;
        if (!beforeNow(signedAt, s.day)) continue;
        const id = uuidv7(rng, signedAt);
        const bySignature = rng.chance(0.7);
        let png = bySignature ? signaturePng(rng) : null;
        let hash = png ? createHash(DEFAULT_ALG).update(png).digest('hex') : null;
        // A hash must not look like a mobile number where the demo checks the work log for phones.
        while (png && hash && PHONE_LIKE.test(hash)) {
          png = signaturePng(rng);
          hash = createHash(DEFAULT_ALG).update(png).digest('hex');
        }
        attendance.push({ id, ...base, session_id: s.id, enrolment_id: enrolmentId, worker_id: worker.id, method: bySignature ? 'signature' : 'qr',
          signed_at: iso(signedAt), signature: png ? `\\x${png.toString('hex')}` : null, signature_hash: hash, hash_alg: hash ? DEFAULT_ALG : null,
          recorded_by: bySignature ? m.desk.id : PUBLIC_ACTOR.id, recorded_by_name: bySignature ? m.desk.username : PUBLIC_ACTOR.username, created_at: iso(signedAt) });
        const actor = bySignature ? m.desk : PUBLIC_ACTOR;
        emit(signedAt, 'training_attendance', 'TrainingAttendance', id, actor, {
          attendanceId: id, sessionId: s.id, courseId, enrolmentId, workerId: worker.id, method: bySignature ? 'signature' : 'qr', signatureHash: hash, hashAlg: hash ? DEFAULT_ALG : null,
        });
        hoursAttended += 2.5;
        attended++;
        lastEnd = s.end;
      }
      // Completion after the last session, where the hours reach 80 % of the course; the certificate the next working day.
      const last = slots[slots.length - 1];
      const required = Math.round(hours * 80) / 100;
      let status = 'enrolled';
      let completedAt: number | null = null;
      let cert: { number: string; day: string; at: number } | null = null;
      const doneAt = last.end + rng.int(15, 40) * MIN;
      if (attended > 0 && hoursAttended >= required && lastEnd > 0 && beforeNow(doneAt, last.day)) {
        status = 'completed';
        completedAt = doneAt;
        emit(doneAt, 'training_completion', 'TrainingEnrolment', enrolmentId, m.manager, {
          step: 'completed', enrolmentId, courseId, workerId: worker.id, attendedHours: hoursAttended, requiredHours: required,
        });
        let cd = addDays(last.day, 1);
        while (!workingDay(cd)) cd = addDays(cd, 1);
        const certAt = at(cd, 10, rng.int(0, 50));
        if (rng.chance(0.9) && beforeNow(certAt, cd) && cd <= ctx.today) {
          const number = `${m.regionCode}-${cd.slice(0, 4)}-${String(++certNo).padStart(4, '0')}${m.key === 'm-zhongmu' ? '' : `-${m.key.slice(2, 4).toUpperCase()}`}`;
          cert = { number, day: cd, at: certAt };
          emit(certAt, 'training_completion', 'TrainingEnrolment', enrolmentId, m.manager, {
            step: 'certificate', enrolmentId, courseId, workerId: worker.id, certificateNumber: number, issuedOn: cd,
          });
        }
      }
      enrolments.push({ id: enrolmentId, ...base, course_id: courseId, worker_id: worker.id, demand_id: demandId, status,
        attended_hours: completedAt ? hoursAttended : null, completed_at: completedAt ? iso(completedAt) : null, completed_by: completedAt ? m.manager.id : null,
        certificate_number: cert?.number ?? null, certificate_issued_on: cert?.day ?? null, certificate_by: cert ? m.manager.id : null,
        created_by: m.desk.id, created_at: iso(enrolAt) });
    }
  });
  // Rows in dependency order (demands before the enrolments that answer them).
  a.extraRows.push(
    { table: 'training_demands', rows: demands }, { table: 'training_courses', rows: courses }, { table: 'training_sessions', rows: sessions },
    { table: 'training_enrolments', rows: enrolments }, { table: 'training_attendance', rows: attendance },
  );
};
