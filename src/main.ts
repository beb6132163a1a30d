import { createApp } from './app.factory.js';
import { describeBootFailure, listeningUrl } from './boot-failure.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { stopOnSignals } from './stop-on-signals.js';

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
  let app;
  try {
    app = await createApp(config);
    await app.listen(config.port, config.host);
  } catch (error) {
    console.error(`oncepay could not start: ${describeBootFailure(error, config)}`);
    process.exit(1);
  }
  stopOnSignals(app);
  const where = config.databasePath === ':memory:' ? 'in memory' : config.databasePath;
  const url = listeningUrl(app.getHttpServer().address(), config.host);
  console.log(`oncepay listening on ${url} (data ${where}; control API ${config.controlApi ? 'on' : 'off'})`);
}

void main();
