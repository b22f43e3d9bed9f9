import { DEFAULT_CLOSING_TIME, LEDGER_KINDS, ledgerEntryQuerySchema, LEGACY_AUDIT_ACTIONS, currentAuditAction, factAction, isEarlyClose, legacyAuditActionsFor, marketHours } from './ledger';

/** One name per business fact (docs/glossary.md "Business facts"). */
describe('fact names', () => {
  it('the audit action is the work-log kind, with the step when there is one', () => {
    expect(factAction('tool_added')).toBe('tool_added');
    expect(factAction('complaint_step', 'callback')).toBe('complaint_step.callback');
  });

  it('every old action maps onto a work-log kind', () => {
    const kinds = new Set<string>(LEDGER_KINDS);
    for (const [old, now] of Object.entries(LEGACY_AUDIT_ACTIONS)) {
      for (const name of typeof now === 'string' ? [now] : Object.values(now.names)) {
        expect([old, kinds.has(name.split('.')[0])]).toEqual([old, true]);
      }
    }
  });

  it('reads old rows under their fact name, telling split ones apart by the summary', () => {
    expect(currentAuditAction('tool.create')).toBe('tool_added');
    expect(currentAuditAction('complaint.callback')).toBe('complaint_step.callback');
    expect(currentAuditAction('post.review', { decision: 'rejected' })).toBe('post_rejected');
    expect(currentAuditAction('hardship.record', { updated: true })).toBe('hardship_record.updated');
    // Audit-only actions and today's names are left as they are; so is an inherited property name.
    expect(currentAuditAction('complaint.escalation_reply')).toBe('complaint.escalation_reply');
    expect(currentAuditAction('tool_added')).toBe('tool_added');
    expect(currentAuditAction('constructor')).toBe('constructor');
  });

  it('a search by a fact name finds its old names', () => {
    expect(legacyAuditActionsFor('tool_loan_decision').sort()).toEqual(['tool.loan_cancel', 'tool.loan_decision']);
    expect(legacyAuditActionsFor('post_rejected')).toEqual(['post.review']);
    expect(legacyAuditActionsFor('auth.')).toEqual([]);
  });
});

describe('market hours for the day close (issue 17 §1)', () => {
  it('reads the closing time and open weekdays from free-text hours', () => {
    expect(marketHours('周一至周日 05:30-18:00（节假日不休）')).toEqual({ closesAt: '18:00', weekdays: [1, 2, 3, 4, 5, 6, 7] });
    expect(marketHours('周一至周五 6:00-12:00')).toEqual({ closesAt: '12:00', weekdays: [1, 2, 3, 4, 5] });
    expect(marketHours('全天')).toEqual({ closesAt: '24:00', weekdays: [1, 2, 3, 4, 5, 6, 7] });
    expect(marketHours(null)).toEqual({ closesAt: DEFAULT_CLOSING_TIME, weekdays: [1, 2, 3, 4, 5, 6, 7] });
  });
  it('an early close is today before the closing time (Asia/Shanghai)', () => {
    const at = (iso: string) => new Date(iso);
    expect(isEarlyClose('2026-12-06', at('2026-12-06T13:27:00+08:00'), '18:00')).toBe(true);
    expect(isEarlyClose('2026-12-06', at('2026-12-06T18:00:00+08:00'), '18:00')).toBe(false);
    expect(isEarlyClose('2026-12-05', at('2026-12-06T09:00:00+08:00'), '18:00')).toBe(false);
  });
});

describe('the work-log search query', () => {
  it('reads codes and kinds as comma lists, blanks dropped', () => {
    const q = ledgerEntryQuerySchema.parse({ q: ' 拖欠 ', qCodes: 'wage_arrears, third_party,,', qKinds: 'settlement' });
    expect(q).toMatchObject({ q: '拖欠', qCodes: ['wage_arrears', 'third_party'], qKinds: ['settlement'], page: 1, pageSize: 100 });
    expect(ledgerEntryQuerySchema.parse({ qCodes: '' }).qCodes).toBeUndefined();
  });

  it.each([
    ['a code that is not lowercase letters, digits and _', { qCodes: 'Wage-Arrears' }],
    ['a regex in a code', { qCodes: 'a|b' }],
    ['a quote in a code', { qCodes: 'a")' }],
    ['an unknown kind', { qKinds: 'nope' }],
    ['more than 200 codes', { qCodes: Array.from({ length: 201 }, (_, i) => `c${i}`).join(',') }],
  ])('refuses %s', (_what, query) => {
    const r = ledgerEntryQuerySchema.safeParse(query);
    expect(r.success).toBe(false);
  });
});
