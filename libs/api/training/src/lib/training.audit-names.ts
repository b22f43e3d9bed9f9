import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '@linggong/api-audit';
import { RegistryDirectoryService } from '@linggong/api-registry';

const AT = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;

/**
 * The audit log names the training subjects (issue 17 §4): a course by its title; a session by its course and start
 * (Asia/Shanghai); an enrolment, an attendance and a demand by the worker (masked where the reader may not read them)
 * and the course, session or trade. Rows the reader's RLS hides are not named.
 */
@Injectable()
export class TrainingAuditNames implements OnModuleInit {
  constructor(private readonly audit: AuditService, private readonly registry: RegistryDirectoryService) {}

  onModuleInit(): void {
    const join = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' · ');
    this.audit.registerSubjectNames('TrainingCourse', async (em, _reader, ids) => new Map(
      (await em.query<{ id: string; title: string }[]>('SELECT id, title FROM training_courses WHERE id = ANY($1::uuid[])', [ids])).map((r) => [r.id, r.title])));
    this.audit.registerSubjectNames('TrainingSession', async (em, _reader, ids) => new Map(
      (await em.query<{ id: string; title: string | null; at: string }[]>(
        `SELECT s.id, c.title, ${AT('s.starts_at')} AS at FROM training_sessions s LEFT JOIN training_courses c ON c.id = s.course_id WHERE s.id = ANY($1::uuid[])`, [ids]))
        .map((r) => [r.id, join(r.title, r.at)])));
    this.audit.registerSubjectNames('TrainingEnrolment', async (em, reader, ids) => {
      const rows = await em.query<{ id: string; worker_id: string; title: string | null }[]>(
        'SELECT e.id, e.worker_id, c.title FROM training_enrolments e LEFT JOIN training_courses c ON c.id = e.course_id WHERE e.id = ANY($1::uuid[])', [ids]);
      const names = await this.registry.workerNamesFor(em, reader, rows.map((r) => r.worker_id));
      return new Map(rows.map((r) => [r.id, join(names.get(r.worker_id), r.title)]));
    });
    this.audit.registerSubjectNames('TrainingAttendance', async (em, reader, ids) => {
      const rows = await em.query<{ id: string; worker_id: string; title: string | null; at: string | null }[]>(
        `SELECT a.id, a.worker_id, c.title, ${AT('s.starts_at')} AS at FROM training_attendance a
         LEFT JOIN training_sessions s ON s.id = a.session_id LEFT JOIN training_courses c ON c.id = s.course_id WHERE a.id = ANY($1::uuid[])`, [ids]);
      const names = await this.registry.workerNamesFor(em, reader, rows.map((r) => r.worker_id));
      return new Map(rows.map((r) => [r.id, join(names.get(r.worker_id), r.title, r.at)]));
    });
    this.audit.registerSubjectNames('TrainingDemand', async (em, reader, ids) => {
      const rows = await em.query<{ id: string; worker_id: string; occupation: string | null; skill: string | null }[]>(
        'SELECT id, worker_id, occupation, skill FROM training_demands WHERE id = ANY($1::uuid[])', [ids]);
      const names = await this.registry.workerNamesFor(em, reader, rows.map((r) => r.worker_id));
      return new Map(rows.map((r) => [r.id, join(names.get(r.worker_id), r.occupation, r.skill)]));
    });
  }
}
