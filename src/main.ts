import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/load-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const where = config.databasePath === ':memory:' ? 'in memory' : config.databasePath;
  console.log(`oncepay listening on http://${config.host}:${config.port} (data ${where}; control API ${config.controlApi ? 'on' : 'off'})`);
}

void main();
