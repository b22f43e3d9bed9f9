/** The browser suite's own database and Redis db, and the port of the server it starts. */
export const BROWSER_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  PORT: process.env['BROWSER_PORT'] ?? '3999',
  DATABASE_URL: 'postgres://linggong_app@127.0.0.1:5432/linggong_browser',
  DATABASE_OWNER_URL: 'postgres://linggong_owner@127.0.0.1:5432/linggong_browser',
  REDIS_URL: 'redis://127.0.0.1:6379/2',
  REDIS_PREFIX: 'lgbrowser',
  LOG_LEVEL: 'warn',
};
export const BASE_URL = `http://127.0.0.1:${BROWSER_ENV['PORT']}`;
export const PID_FILE = '/tmp/linggong-browser-server.pid';
