import { maskPhone } from '@linggong/domain';
import { PUBLIC_ACTOR, dayStart, type ServiceSimulation } from './demo-activity';
import { Rng, uuidv7 } from './demo-data';

/**
 * The public job board and job push demo (issue 18 §1–2). The board itself needs nothing: it lists the markets'
 * open posts of today. Here: about one worker in twelve opted in to job push at registration (desk registrations
 * that name a trade); today's open posts pushed to the opted-in workers of their trade (at most 3 a day: the
 * default cap), each with its inbox row and the SMS the outbox adapter queued; and two or three online applications
 * (应聘报名) on today's open posts waiting at the desk, each with its `application` work-log entry. Deterministic per
 * market; everything happens today before `now`, so the test reset (today only) has it too.
 */
const PER_DAY = 3;

export const simulateBoard: ServiceSimulation = (a, ctx) => {
  const m = a.market;
  const rng = new Rng(`linggong-demo-board:${m.key}`);
  const base = { tenant_id: m.tenantId, region_code: m.regionCode };
  const open = a.posts.filter((p) => p.status === 'published' && p.expiresAt > ctx.now && p.hired < p.headcount && p.publishedAt != null && p.publishedAt < ctx.now);
  const subscribers = a.workers.filter((w) => w.status === 'active' && w.source === 'desk' && w.occupations.length && rng.chance(1 / 12));
  for (const w of subscribers) (w as { jobPush?: boolean }).jobPush = true;
  const deliveries: Record<string, unknown>[] = [];
  const outbox: Record<string, unknown>[] = [];
  const sent = new Map<string, number>();
  // Today, also for a post published on an earlier day: that day is sealed, and an entry recorded on it after its seal
  // (an application at 19:46 of a day closed at 19:40) would make the seed refuse the seal.
  const todayStart = dayStart(ctx.today);
  const since = (p: (typeof open)[number]) => Math.max(p.publishedAt as number, todayStart);
  for (const p of [...open].sort((x, y) => (x.publishedAt as number) - (y.publishedAt as number))) {
    const at = Math.min(ctx.now - 60_000, since(p) + 20_000);
    if (at < since(p)) continue;
    for (const w of subscribers.filter((s) => s.occupations.includes(p.occupation) && s.regAt < at)) {
      const n = sent.get(w.id) ?? 0;
      const status = n >= PER_DAY ? 'limited' : 'delivered';
      deliveries.push({ id: uuidv7(rng, at), ...base, worker_id: w.id, post_id: p.id, channel: 'inbox', status, day: ctx.today, created_at: new Date(at).toISOString() });
      if (status === 'limited') continue;
      sent.set(w.id, n + 1);
      deliveries.push({ id: uuidv7(rng, at), ...base, worker_id: w.id, post_id: p.id, channel: 'sms', status, day: ctx.today, created_at: new Date(at).toISOString() });
      const token = `${w.id}.${ctx.pii.index('push-link', w.id).slice(0, 32)}`;
      outbox.push({
        id: uuidv7(rng, at), ...base, worker_id: w.id, mobile_masked: maskPhone(w.mobile), purpose: 'job_push', status: 'queued', created_at: new Date(at).toISOString(),
        body: `【零工市场】新岗位：${p.title}（${p.occupation}，${(p.wageFen / 100).toFixed(p.wageFen % 100 ? 2 : 0)}元/${UNIT[p.wageUnit]}），${m.name}。详见 /w/${token} 退订点页面“不再接收”`,
      });
    }
  }
  // Online applications: workers of the market who did not come today apply to open posts of their trade.
  const applications: Record<string, unknown>[] = [];
  const cameToday = new Set(a.checkIns.filter((c) => c.day === ctx.today).map((c) => c.worker.id));
  let order = 2_100_000_000;
  for (const p of open.slice(0, 6)) {
    if (applications.length >= 3) break;
    const w = a.workers.find((x) => x.status === 'active' && !cameToday.has(x.id) && x.occupations.includes(p.occupation)
      && !applications.some((ap) => ap['worker_id'] === x.id) && !a.placements.some((pl) => pl.post.id === p.id && pl.worker.id === x.id));
    if (!w) continue;
    const at = Math.min(ctx.now - 30_000, since(p) + rng.int(5, 40) * 60_000);
    if (at <= since(p)) continue;
    const id = uuidv7(rng, at);
    applications.push({ id, ...base, market_id: m.id, post_id: p.id, worker_id: w.id, status: 'pending', channel: 'online', registered: false, day: ctx.today, created_at: new Date(at).toISOString() });
    const payload = { step: 'submitted', applicationId: id, postId: p.id, workerId: w.id, channel: 'online', registered: false };
    a.events.push({ at, order: order++, kind: 'application', subjectType: 'Post', subjectId: p.id, actor: PUBLIC_ACTOR, payload: () => payload });
  }
  a.extraRows.push({ table: 'job_push_deliveries', rows: deliveries }, { table: 'sms_outbox', rows: outbox }, { table: 'job_applications', rows: applications });
};

const UNIT: Record<string, string> = { hour: '小时', day: '天', piece: '件', month: '月' };
