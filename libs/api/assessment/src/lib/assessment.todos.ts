import { Injectable } from '@nestjs/common';
import type { Actor, TodoItem } from '@linggong/domain';
import { RegistersTodos, SHANGHAI_TODAY_SQL as TODAY, TenantDb, TodoRegistry, abilityOf, countActionable } from '@linggong/api-core';

const COLUMNS = { regionCode: 't.region_code', tenantId: 't.tenant_id' };
const CYCLE = (cond: string) => `EXISTS (SELECT 1 FROM assessment_cycles c WHERE c.id = t.cycle_id AND ${cond})`;

/**
 * Assessment deadlines on the home (issue 15 §3, issue 17 §5): the operator's self-assessments to submit before their
 * deadline; the county's reviews (past the review deadline apart); the sample audits of the city or province; appeals to
 * decide; model-market lists whose 公示 has ended, waiting for designation.
 */
@Injectable()
export class AssessmentTodos extends RegistersTodos {
  readonly todoSource = 'assessment';
  constructor(registry: TodoRegistry, private readonly db: TenantDb) {
    super(registry);
  }

  async todos(actor: Actor): Promise<TodoItem[]> {
    const can = abilityOf(actor);
    return this.db.run(actor, async (em) => {
      const out: TodoItem[] = [];
      if (actor.orgKind === 'operator' && can.can('operate', 'Assessment')) {
        out.push({ key: 'assessments_self_due', count: await countActionable(em, actor, 'operate', 'Assessment', 'assessments', `t.state = 'self' AND ${CYCLE(`c.self_deadline >= ${TODAY}`)}`, {}, COLUMNS), link: '/assessment', tone: 'warning' });
      }
      if (actor.orgKind === 'county' && can.can('update', 'Assessment')) {
        // Reviewable: submitted, or the operator's deadline passed without it.
        const reviewable = `(t.state = 'review' OR (t.state = 'self' AND ${CYCLE(`c.self_deadline < ${TODAY}`)}))`;
        out.push(
          { key: 'assessments_review_overdue', count: await countActionable(em, actor, 'update', 'Assessment', 'assessments', `${reviewable} AND ${CYCLE(`c.review_deadline < ${TODAY}`)}`, {}, COLUMNS), link: '/assessment', tone: 'danger' },
          { key: 'assessments_to_review', count: await countActionable(em, actor, 'update', 'Assessment', 'assessments', `${reviewable} AND ${CYCLE(`c.review_deadline >= ${TODAY}`)}`, {}, COLUMNS), link: '/assessment', tone: 'warning' },
        );
      }
      if (can.can('verify', 'Assessment') && actor.orgKind !== 'platform') {
        out.push({ key: 'assessments_to_audit', count: await countActionable(em, actor, 'verify', 'Assessment', 'assessments', `t.sampled AND t.state = 'reviewed' AND t.audited_at IS NULL`, {}, COLUMNS), link: '/assessment', tone: 'warning' });
      }
      if (can.can('close', 'Assessment') && actor.orgKind !== 'platform' && actor.orgKind !== 'operator') {
        out.push({ key: 'assessment_appeals_to_decide', count: await countActionable(em, actor, 'close', 'Assessment', 'assessments', `t.state = 'appealed'`, {}, COLUMNS), link: '/assessment', tone: 'warning' });
      }
      if (can.can('publish', 'ModelMarket') && (actor.orgKind === 'province' || actor.orgKind === 'city')) {
        // The authority's own lists only (a province does not designate a city's list).
        out.push({ key: 'model_lists_to_designate', count: await countActionable(em, actor, 'publish', 'ModelMarket', 'model_market_lists',
          `t.state = 'notice' AND t.notice_until < ${TODAY} AND t.region_code = :own`, { own: actor.regionPrefix }, { regionCode: 't.region_code' }), link: '/assessment/model-markets', tone: 'warning' });
      }
      return out;
    });
  }
}
