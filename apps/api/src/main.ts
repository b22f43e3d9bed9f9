import { ConfigError, loadConfig } from '@linggong/api-core';
import { createApiApp } from './app/create-app';

async function main() {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
  console.log(JSON.stringify({ level: 30, msg: `Linggong API listening on http://localhost:${config.PORT} (API under /api)` }));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
