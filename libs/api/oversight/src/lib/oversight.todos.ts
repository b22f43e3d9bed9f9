import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Action, Actor, TodoItem } from '@linggong/domain';
import { RegistersTodos, SHANGHAI_TODAY_SQL as TODAY, TenantDb, TodoRegistry, abilityOf, applyAccess, countActionable } from '@linggong/api-core';
import { MarketDirectoryService } from '@linggong/api-markets';
import { OVERSIGHT_ACCESS } from './rows';

/**
 * Rectification (整改) and exit (退出) on the home (issue 17 §5, issue 16 §3–4): the operator's orders still to rectify
 * (past their deadline apart), the county's submissions waiting for its verification; an exit case's next step for
 * whoever must take it (docs/oversight.md "Exit and handover") — the operator's answer within its working days, the
 * city's decision on a proposal, the county's start of the exit once the answer is in or the window has passed, each
 * side's signature of an open handover; while exiting, the county's handovers to open (markets the operator still
 * holds), to complete (both sides signed), and the archiving once nothing is left. Each exit item is one
 * case, linking to it (`/exits?case=<id>`), with the operator's name on the authorities' homes (and the successor's).
 */
@Injectable()
export class OversightTodos extends RegistersTodos {
  readonly todoSource = 'oversight';
  constructor(registry: TodoRegistry, private readonly db: TenantDb, private readonly markets: MarketDirectoryService) {
    super(registry);
  }

  async todos(actor: Actor): Promise<TodoItem[]> {
    const can = abilityOf(actor);
    const columns = OVERSIGHT_ACCESS('t');
    return this.db.run(actor, async (em) => {
      const out: TodoItem[] = [];
      if (can.can('update', 'Rectification')) {
        const open = `t.status IN ('pending', 'in_progress')`;
        out.push(
          { key: 'rectifications_overdue', count: await countActionable(em, actor, 'update', 'Rectification', 'rectifications', `${open} AND t.due_on < ${TODAY}`, {}, columns), link: '/rectifications', query: { overdue: 'true' }, tone: 'danger' },
          { key: 'rectifications_open', count: await countActionable(em, actor, 'update', 'Rectification', 'rectifications', `${open} AND t.due_on >= ${TODAY}`, {}, columns), link: '/rectifications', tone: 'warning' },
        );
      }
      if (can.can('verify', 'Rectification')) {
        out.push({ key: 'rectifications_to_verify', count: await countActionable(em, actor, 'verify', 'Rectification', 'rectifications', `t.status = 'rectified'`, {}, columns), link: '/rectifications', query: { status: 'rectified' }, tone: 'warning' });
      }
      out.push(...await this.exitTodos(em, actor));
      return out;
    });
  }

  /** The exit cases waiting on this actor, one item per case (the same ability conditions as the case's routes). */
  private async exitTodos(em: EntityManager, actor: Actor): Promise<TodoItem[]> {
    const can = abilityOf(actor);
    const out: TodoItem[] = [];
    // `named`: show the operator's name (not on the operator's own home, where the case is its own).
    const cases = async (action: Action, where: string, key: TodoItem['key'], tone: (r: { due: string | null; today: string }) => TodoItem['tone'], named = true) => {
      const qb = em.createQueryBuilder().from('exit_cases', 't').leftJoin('organisations', 'o', 'o.id = t.tenant_id');
      if (!applyAccess(qb, actor, action, 'ExitCase', OVERSIGHT_ACCESS('t'))) return;
      const rows = await qb.andWhere(where).select('t.id', 'id').addSelect('o.name', 'name').addSelect('t.answer_due::text', 'due')
        .addSelect(`${TODAY}::text`, 'today').orderBy('t.created_at').getRawMany<{ id: string; name: string | null; due: string | null; today: string }>();
      for (const r of rows) out.push({ key, count: 1, link: '/exits', query: { case: r.id }, tone: tone(r), ...(named && r.name ? { operatorName: r.name } : {}) });
    };
    // The operator answers (申辩) within its working days from the notice; its last day is a deadline.
    if (can.can('operate', 'ExitCase')) {
      await cases('operate', `t.status = 'approved' AND t.answer IS NULL AND t.answer_due >= ${TODAY}`, 'exit_answer_due', (r) => (r.due === r.today ? 'danger' : 'warning'), false);
    }
    // The city decides a proposal: another person at another level.
    if (can.can('verify', 'ExitCase')) {
      await cases('verify', `t.status = 'proposed'`, 'exits_to_decide', () => 'warning');
    }
    if (can.can('update', 'ExitCase')) {
      // The county starts the exit once the operator has answered or its window has passed.
      await cases('update', `t.status = 'approved' AND (t.answer IS NOT NULL OR t.answer_due < ${TODAY})`, 'exits_to_start', () => 'warning');
      // While exiting: the county opens a handover for each market the operator still holds, completes those both sides
      // signed, and archives the case once no market and no open handover is left (the markets through their context).
      const qb = em.createQueryBuilder().from('exit_cases', 't').leftJoin('organisations', 'o', 'o.id = t.tenant_id');
      if (applyAccess(qb, actor, 'update', 'ExitCase', OVERSIGHT_ACCESS('t'))) {
        const exiting = await qb.andWhere(`t.status = 'exiting'`).select('t.id', 'id').addSelect('t.tenant_id', 'tenant').addSelect('t.region_code', 'region')
          .addSelect('o.name', 'name').orderBy('t.created_at').getRawMany<{ id: string; tenant: string; region: string; name: string | null }>();
        for (const c of exiting) {
          const open: { market_id: string; signed: boolean }[] = await em.query(
            `SELECT market_id, (outgoing_signed_at IS NOT NULL AND successor_signed_at IS NOT NULL) AS signed FROM market_handovers WHERE case_id = $1 AND status = 'open'`, [c.id]);
          const pending = new Set(open.map((h) => h.market_id));
          const left = (await this.markets.ofTenantIn(em, c.tenant, c.region)).filter((m) => !pending.has(m.id)).length;
          const signed = open.filter((h) => h.signed).length;
          const item = (key: TodoItem['key'], count: number): TodoItem => ({ key, count, link: '/exits', query: { case: c.id }, tone: 'warning', ...(c.name ? { operatorName: c.name } : {}) });
          if (left) out.push(item('exit_markets_to_hand_over', left));
          if (signed) out.push(item('handovers_to_complete', signed));
          if (!left && !open.length) out.push(item('exits_to_archive', 1));
        }
      }
    }
    // Each operator signs its side of an open handover: the outgoing one (its own case) and the successor (which cannot read
    // the case; its handovers are listed on the same page).
    if (can.can('operate', 'ExitCase') && actor.tenantId) {
      const rows: { case_id: string; side: 'outgoing' | 'successor'; n: number; name: string | null }[] = await em.query(
        `SELECT h.case_id, CASE WHEN h.tenant_id = $1 THEN 'outgoing' ELSE 'successor' END AS side, count(*)::int AS n, o.name
         FROM market_handovers h LEFT JOIN organisations o ON o.id = h.tenant_id
         WHERE h.status = 'open' AND ((h.tenant_id = $1 AND h.outgoing_signed_at IS NULL) OR (h.successor_id = $1 AND h.successor_signed_at IS NULL))
         GROUP BY 1, 2, 4 ORDER BY 1`, [actor.tenantId]);
      for (const r of rows) {
        out.push({ key: 'handovers_to_sign', count: r.n, link: '/exits', ...(r.side === 'outgoing' ? { query: { case: r.case_id } } : {}), tone: 'warning', ...(r.side === 'successor' && r.name ? { operatorName: r.name } : {}) });
      }
    }
    return out;
  }
}
