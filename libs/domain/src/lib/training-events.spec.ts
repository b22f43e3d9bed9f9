import { asSubject, defineAbilityFor } from './abilities';
import type { Actor } from './actor';
import { createCourseSchema, createSessionSchema, deskAttendanceSchema } from './training';
import { createEventSchema, eventStatusSchema } from './events';

const op1 = 'op1-tenant';
const actor = (a: Partial<Actor>): Actor => ({ userId: 'u', username: 'u', orgId: 'org', orgKind: 'operator', marketIds: [], roles: [], ...a });
const at = (tenantId: string, marketId: string, regionCode = '410122') => ({ tenantId, marketId, regionCode });

describe('training and events abilities (R-B10, R-B13)', () => {
  it('the desk records and reads training at its own market only, and sees the events of its market without planning them', () => {
    const a = defineAbilityFor(actor({ orgId: op1, tenantId: op1, roles: ['front_desk'], marketIds: ['m1'] }));
    expect(a.can('create', asSubject('Training', at(op1, 'm1')))).toBe(true);
    expect(a.can('create', asSubject('Training', at(op1, 'm2')))).toBe(false);
    // Issue 12 §5: another market's training (and its signatures) is not the desk's to read.
    expect(a.can('read', asSubject('Training', at(op1, 'm2')))).toBe(false);
    expect(a.can('read', asSubject('MarketEvent', at(op1, 'm1')))).toBe(true);
    expect(a.can('read', asSubject('MarketEvent', at(op1, 'm2')))).toBe(false);
    expect(a.can('create', 'MarketEvent')).toBe(false);
  });

  it('a market manager plans events at the markets assigned to it', () => {
    const a = defineAbilityFor(actor({ orgId: op1, tenantId: op1, roles: ['market_manager'], marketIds: ['m1'] }));
    expect(a.can('create', asSubject('MarketEvent', at(op1, 'm1')))).toBe(true);
    expect(a.can('update', asSubject('MarketEvent', at(op1, 'm2')))).toBe(false);
    expect(a.can('read', asSubject('MarketEvent', at('op2', 'm9')))).toBe(false);
  });

  it('authorities read training and events in their region and write neither; an exited operator writes nothing', () => {
    const county = defineAbilityFor(actor({ orgKind: 'county', regionPrefix: '410122', roles: ['county_reviewer'] }));
    expect(county.can('read', asSubject('Training', at(op1, 'm1')))).toBe(true);
    expect(county.can('read', asSubject('Training', at(op1, 'm1', '410184')))).toBe(false);
    expect(county.can('create', 'Training')).toBe(false);
    expect(county.can('update', 'MarketEvent')).toBe(false);
    const exited = defineAbilityFor(actor({ orgId: op1, tenantId: op1, roles: ['operator_admin'], readOnly: true }));
    expect(exited.can('read', asSubject('Training', at(op1, 'm1')))).toBe(true);
    expect(exited.can('create', asSubject('Training', at(op1, 'm1')))).toBe(false);
  });
});

describe('training and events input rules', () => {
  const session = { trainer: '王建国', place: '培训室', startsAt: '2026-11-23T09:00:00+08:00', endsAt: '2026-11-23T11:00:00+08:00', hours: 2 };
  it('a session ends after it starts and its hours fit its time', () => {
    expect(createSessionSchema.safeParse(session).success).toBe(true);
    expect(createSessionSchema.safeParse({ ...session, hours: 2.5 }).error?.issues[0]).toMatchObject({ path: ['hours'], message: 'session_hours_exceed_time' });
    expect(createSessionSchema.safeParse({ ...session, endsAt: session.startsAt }).error?.issues[0]).toMatchObject({ path: ['endsAt'], message: 'session_end_before_start' });
    expect(createSessionSchema.safeParse({ ...session, endsAt: '2026-11-23T21:00:00+08:00' }).success).toBe(true);
    expect(createSessionSchema.safeParse({ ...session, endsAt: '2026-11-23T21:01:00+08:00' }).error?.issues[0]).toMatchObject({ path: ['endsAt'], message: 'session_too_long' });
  });
  it('a free course has no fee, a paid one has a fee', () => {
    const c = { title: '电工培训', occupation: '电工', hours: 8, mode: 'classroom' };
    expect(createCourseSchema.safeParse({ ...c, free: true }).success).toBe(true);
    expect(createCourseSchema.safeParse({ ...c, free: true, feeFen: 100 }).error?.issues[0].message).toBe('training_free_with_fee');
    expect(createCourseSchema.safeParse({ ...c, free: false }).error?.issues[0].message).toBe('training_fee_required');
  });
  it('a desk signature is a PNG data URL', () => {
    const id = '00000000-0000-7000-8000-00000000b0b0';
    expect(deskAttendanceSchema.safeParse({ enrolmentId: id, signature: 'data:image/png;base64,iVBORw0KGgo=' }).success).toBe(true);
    expect(deskAttendanceSchema.safeParse({ enrolmentId: id, signature: 'data:image/jpeg;base64,/9j/4AAQ' }).success).toBe(false);
  });
  it('a live stream needs its URL, a fair its place; a cancellation needs a reason', () => {
    const e = { title: '招聘会', startsAt: '2026-11-23T09:00:00+08:00', endsAt: '2026-11-23T12:00:00+08:00' };
    expect(createEventSchema.safeParse({ ...e, kind: 'livestream', streamUrl: 'https://live.example.cn/1' }).success).toBe(true);
    expect(createEventSchema.safeParse({ ...e, kind: 'livestream' }).error?.issues[0].message).toBe('event_stream_url');
    expect(createEventSchema.safeParse({ ...e, kind: 'fair' }).error?.issues[0].message).toBe('event_place_required');
    expect(eventStatusSchema.safeParse({ status: 'cancelled' }).error?.issues[0].message).toBe('event_cancel_reason');
    expect(eventStatusSchema.safeParse({ status: 'held' }).success).toBe(true);
  });
});
