import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deposit that passes with its market to a successor operator (issue 16 §4, R-F1): the deposit account, append-only,
 * records it twice — 'handed_over' on the outgoing operator's side, 'taken_over' on the successor's.
 */
export class ToolsHandover1763805510000 implements MigrationInterface {
  name = 'ToolsHandover1763805510000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tool_deposit_movements DROP CONSTRAINT tool_deposit_movements_kind_check;
      ALTER TABLE tool_deposit_movements ADD CONSTRAINT tool_deposit_movements_kind_check
        CHECK (kind IN ('received', 'refunded', 'forfeited', 'handed_over', 'taken_over'));
      -- Loans still out pass with the market (re-tenanted under the system scope, api-core HandoverRegistry).
      GRANT UPDATE (tenant_id) ON tool_loans TO linggong_app_access;
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      REVOKE UPDATE (tenant_id) ON tool_loans FROM linggong_app_access;
      ALTER TABLE tool_deposit_movements DROP CONSTRAINT tool_deposit_movements_kind_check;
      ALTER TABLE tool_deposit_movements ADD CONSTRAINT tool_deposit_movements_kind_check CHECK (kind IN ('received', 'refunded', 'forfeited'));
    `);
  }
}
