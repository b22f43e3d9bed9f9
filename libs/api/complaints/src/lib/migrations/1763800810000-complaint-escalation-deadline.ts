import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An automatic escalation belongs to the deadline it was for: once per deadline rather than once per
 * complaint, so a reopened complaint that runs past its new limit is escalated again (issue 6 §3, §7).
 */
export class ComplaintEscalationDeadline1763800810000 implements MigrationInterface {
  name = 'ComplaintEscalationDeadline1763800810000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE complaint_escalations ADD COLUMN overdue_for date;
      UPDATE complaint_escalations e SET overdue_for = c.resolve_due FROM complaints c WHERE c.id = e.complaint_id AND e.automatic;
      ALTER TABLE complaint_escalations ADD CONSTRAINT complaint_escalations_overdue_for CHECK (automatic = (overdue_for IS NOT NULL));
      DROP INDEX complaint_escalations_overdue_once;
      CREATE UNIQUE INDEX complaint_escalations_overdue_once ON complaint_escalations (complaint_id, overdue_for) WHERE automatic;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX complaint_escalations_overdue_once;
      CREATE UNIQUE INDEX complaint_escalations_overdue_once ON complaint_escalations (complaint_id) WHERE automatic;
      ALTER TABLE complaint_escalations DROP CONSTRAINT complaint_escalations_overdue_for, DROP COLUMN overdue_for;
    `);
  }
}
