/** Every BullMQ queue, in one place (STYLE.md "Jobs"). */
export enum QueueName {
  AuditRetention = 'audit-retention',
  SessionCleanup = 'session-cleanup',
  LedgerClose = 'ledger-close',
  LedgerVerify = 'ledger-verify',
  PostsExpire = 'posts-expire',
  ComplaintTimers = 'complaint-timers',
  ToolsReconcile = 'tools-reconcile',
  AssistanceTiers = 'assistance-tiers',
  AnalyticsRollup = 'analytics-rollup',
}
