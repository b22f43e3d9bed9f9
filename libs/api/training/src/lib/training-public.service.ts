import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { maskName, publicActor, type Actor } from '@linggong/domain';
import { ProblemException, TenantDb } from '@linggong/api-core';
import { RegistryDirectoryService } from '@linggong/api-registry';
import { TrainingService } from './training.service';

export interface PublicSessionView { courseTitle: string; occupation: string; trainer: string; place: string; startsAt: string; endsAt: string; hours: number; marketName: string }
export interface PublicAttendanceResult extends PublicSessionView { status: 'signed_in' | 'already_signed_in'; name: string; signedAt: string }

/**
 * The QR sign-in page (R-B10 "signed … by QR"): the classroom shows the session's code, the trainee's
 * phone opens it, no sign-in, and the trainee types the mobile number registered at the market. The
 * code's session is found through one SECURITY DEFINER function (only a SHA-256 of the code is stored,
 * like hire confirmations); everything after runs in that tenant's RLS scope as a front-desk actor
 * bound to the session's market, and the same time-window rule as the desk applies.
 */
@Injectable()
export class TrainingPublicService {
  constructor(private readonly db: TenantDb, private readonly training: TrainingService, private readonly registry: RegistryDirectoryService) {}

  session(token: string): Promise<PublicSessionView> {
    return this.run(token, (em, _actor, sessionId) => this.describe(em, sessionId));
  }

  attend(token: string, mobile: string): Promise<PublicAttendanceResult> {
    return this.run(token, async (em, actor, sessionId) => {
      // An unknown number and a registered worker not enrolled get the same answer: the page must not
      // tell whoever holds the code whether a number is registered at the market.
      const w = await this.registry.workerByMobile(em, String(actor.tenantId), mobile);
      const [s] = await em.query('SELECT * FROM training_sessions WHERE id = $1', [sessionId]);
      const [e] = w ? await em.query('SELECT id, worker_id, status FROM training_enrolments WHERE course_id = $1 AND worker_id = $2', [s.course_id, w.id]) : [];
      if (!w || !e) throw new ProblemException(422, 'not_enrolled');
      const r = await this.training.attendIn(em, actor, s, e, 'qr', null);
      return { ...(await this.describe(em, sessionId)), status: r.created ? 'signed_in' : 'already_signed_in', name: maskName(w.name), signedAt: r.view.signedAt };
    });
  }

  private async describe(em: EntityManager, sessionId: string): Promise<PublicSessionView> {
    const [r] = await em.query(
      `SELECT c.title, c.occupation, s.trainer, s.place, s.starts_at, s.ends_at, s.hours, mk.name AS market_name
       FROM training_sessions s JOIN training_courses c ON c.id = s.course_id JOIN markets mk ON mk.id = s.market_id WHERE s.id = $1`, [sessionId]);
    return {
      courseTitle: r.title, occupation: r.occupation, trainer: r.trainer, place: r.place, startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(), hours: Number(r.hours), marketName: r.market_name,
    };
  }

  private async run<T>(token: string, fn: (em: EntityManager, actor: Actor, sessionId: string) => Promise<T>): Promise<T> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw new ProblemException(404, 'training_token_invalid');
    const hash = createHash('sha256').update(token).digest('hex');
    const scope = await this.db.dataSource.transaction(async (em) => (await em.query('SELECT * FROM public_training_session_scope($1)', [hash]))[0]);
    if (!scope) throw new ProblemException(404, 'training_token_invalid');
    const actor = publicActor(scope.tenant_id, scope.market_id);
    return this.db.run(actor, (em) => fn(em, actor, scope.session_id));
  }
}
