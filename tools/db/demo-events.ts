import { addDays, dayStart, holidayFactor, type ServiceSimulation, type StaffRef } from './demo-activity';
import { Rng, uuidv7 } from './demo-data';

/**
 * Events demo (issue 5 §5, R-B13) over a market's simulated 90 days: a 春风行动-style gig job fair,
 * a night market, a recruiting caravan to a town and a live stream, each planned by the manager a
 * week or two ahead, then held — attendance counted, the posts taken that day linked (their hires are
 * counted from the 即时快招 placements) — or, once, cancelled with a reason; one more planned for
 * next week. Each step carries the `event` work-log entry EventsService appends. Deterministic per
 * market; entries on sealed days between 07:00 and 18:30 Asia/Shanghai; the today-only variant adds nothing.
 */

const MIN = 60_000;
const at = (day: string, h: number, m = 0) => dayStart(day) + (h * 60 + m) * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

interface Plan { kind: 'fair' | 'night_market' | 'caravan' | 'livestream'; title: string; back: number; from: [number, number]; hours: number; place: string; url?: string }

export const simulateEvents: ServiceSimulation = (a, ctx) => {
  if (ctx.historyDays < 30) return;
  const m = a.market;
  const rng = new Rng(`linggong-demo-events:${m.key}`);
  const base = { tenant_id: m.tenantId, market_id: m.id, region_code: m.regionCode };
  const county = m.name.replace(/零工.*$/, '');
  const station = m.type === 'station';
  let order = 2_000_000_000;
  const emit = (ms: number, subjectId: string, actor: StaffRef, payload: Record<string, unknown>) =>
    a.events.push({ at: Math.floor(ms), order: order++, kind: 'event', subjectType: 'MarketEvent', subjectId, actor, payload: () => payload });
  const plans: Plan[] = station
    ? [{ kind: 'caravan', title: `招聘大篷车进${county}`, back: 40, from: [9, 0], hours: 3, place: `${county}便民服务中心广场` }]
    : [
        { kind: 'fair', title: '春风行动·零工专场招聘会', back: 72, from: [8, 30], hours: 3.5, place: `${m.name}广场` },
        { kind: 'night_market', title: '零工夜市', back: 45, from: [18, 30], hours: 2.5, place: `${county}商业步行街` },
        { kind: 'caravan', title: '招聘大篷车下乡', back: 30, from: [9, 0], hours: 3, place: `${county}乡镇便民服务中心` },
        { kind: 'livestream', title: '直播带岗·金秋专场', back: 16, from: [10, 0], hours: 1.5, place: '', url: `https://live.example.cn/linggong/${m.key}` },
        { kind: 'fair', title: '就业援助月·困难人员专场', back: 8, from: [9, 0], hours: 3, place: `${m.name}大厅` },
      ];
  const events: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];
  const checkInsOn = (day: string) => a.checkIns.filter((c) => c.day === day).length;

  const planned = (p: Plan, day: string, cancelled: string | null) => {
    // Planned ten days ahead, at 10:xx on a working day.
    let pd = addDays(day, -10 - rng.int(0, 4));
    while (weekday(pd) === 0 || weekday(pd) === 6) pd = addDays(pd, -1);
    const plannedAt = at(pd, 10, rng.int(0, 50));
    const start = at(day, p.from[0], p.from[1]);
    const end = start + p.hours * 60 * MIN;
    const id = uuidv7(rng, plannedAt);
    const row: Record<string, unknown> = {
      id, ...base, kind: p.kind, title: p.title, starts_at: iso(start), ends_at: iso(end), place: p.place, stream_url: p.url ?? null,
      organiser: `${county}人力资源和社会保障局`, note: '', status: 'planned', status_reason: null, status_at: null, status_by: null, workers: null, employers: null,
      viewers: null, attendance_at: null, created_by: m.manager.id, created_at: iso(plannedAt),
    };
    events.push(row);
    emit(plannedAt, id, m.manager, { step: 'planned', eventId: id, eventKind: p.kind, title: p.title, startsAt: iso(start), endsAt: iso(end), place: p.place, streamUrl: p.url ?? null });
    if (cancelled) {
      const cAt = at(addDays(day, -2), 16, rng.int(0, 40));
      Object.assign(row, { status: 'cancelled', status_reason: cancelled, status_at: iso(cAt), status_by: m.manager.id });
      emit(cAt, id, m.manager, { step: 'cancelled', eventId: id, reason: cancelled });
    }
    return { id, row, start, end };
  };

  plans.forEach((p, i) => {
    let day = addDays(ctx.today, -p.back);
    while (weekday(day) === 0 || holidayFactor(day) < 0.9) day = addDays(day, 1);
    if (day >= ctx.today) return;
    // One event is rained off (the caravan at a comprehensive market).
    const cancelled = !station && i === 2 ? '暴雨预警，改期举办' : null;
    const e = planned(p, day, cancelled);
    if (cancelled) return;
    // Reported when it ends, or the next working morning for an evening event (entries on a sealed day stop at 18:30).
    let rd = day;
    let reportAt = e.end + rng.int(10, 40) * MIN;
    if (reportAt > at(day, 18, 20)) {
      rd = addDays(day, 1);
      while (weekday(rd) === 0 || weekday(rd) === 6) rd = addDays(rd, 1);
      reportAt = at(rd, 9, rng.int(0, 40));
    }
    if (rd >= ctx.today) return;
    const dayPosts = a.posts.filter((x) => x.startDay === day && x.createdAt <= reportAt && x.status !== 'rejected' && x.publishedAt !== null);
    // The posts taken at the event: most of that day's posts, up to a dozen.
    const chosen = dayPosts.filter(() => rng.chance(0.7)).slice(0, station ? 4 : 12).map((x) => x.id).sort();
    const employers = new Set(dayPosts.filter((x) => chosen.includes(x.id)).map((x) => x.employer.id)).size;
    const seekers = Math.round(checkInsOn(day) * (p.kind === 'livestream' ? 0.4 : 1.6) + rng.int(20, 80));
    const viewers = p.kind === 'livestream' ? rng.int(1200, 6000) : 0;
    if (chosen.length) {
      links.push(...chosen.map((postId) => ({ event_id: e.id, post_id: postId, ...base, linked_by: m.manager.id, linked_at: iso(reportAt) })));
      emit(reportAt, e.id, m.manager, { step: 'posts_linked', eventId: e.id, postIds: chosen });
    }
    const attAt = reportAt + 2 * MIN;
    Object.assign(e.row, { workers: seekers, employers: employers + rng.int(2, 8), viewers, attendance_at: iso(attAt) });
    emit(attAt, e.id, m.manager, { step: 'attendance', eventId: e.id, workers: seekers, employers: e.row['employers'], viewers });
    const heldAt = attAt + 2 * MIN;
    Object.assign(e.row, { status: 'held', status_at: iso(heldAt), status_by: m.manager.id });
    emit(heldAt, e.id, m.manager, { step: 'held', eventId: e.id, reason: null });
  });

  // Next week's fair, planned yesterday (or earlier).
  if (!station) {
    let day = addDays(ctx.today, 6);
    while (weekday(day) === 0 || weekday(day) === 6) day = addDays(day, 1);
    const p: Plan = { kind: 'fair', title: '冬季零工专场招聘会', back: 0, from: [9, 0], hours: 3, place: `${m.name}广场` };
    let pd = addDays(ctx.today, -1);
    while (weekday(pd) === 0 || weekday(pd) === 6) pd = addDays(pd, -1);
    const plannedAt = at(pd, 11, rng.int(0, 40));
    const start = at(day, 9, 0);
    const end = start + 3 * 60 * MIN;
    const id = uuidv7(rng, plannedAt);
    events.push({
      id, ...base, kind: p.kind, title: p.title, starts_at: iso(start), ends_at: iso(end), place: p.place, stream_url: null,
      organiser: `${county}人力资源和社会保障局`, note: '', status: 'planned', status_reason: null, status_at: null, status_by: null, workers: null, employers: null,
      viewers: null, attendance_at: null, created_by: m.manager.id, created_at: iso(plannedAt),
    });
    emit(plannedAt, id, m.manager, { step: 'planned', eventId: id, eventKind: p.kind, title: p.title, startsAt: iso(start), endsAt: iso(end), place: p.place, streamUrl: null });
  }
  a.extraRows.push({ table: 'market_events', rows: events }, { table: 'market_event_posts', rows: links });
};
