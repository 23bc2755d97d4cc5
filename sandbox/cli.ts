/**
 * `npm run sandbox -- --port 8787 --seed 1`: starts the sandbox platform and prints exactly one
 * line on stdout, `SANDBOX_URL=http://127.0.0.1:<port>/fhir`, when ready. Logs go to stderr.
 */
import { parseArgs } from 'node:util';
import { startSandbox } from './server';
import { startActors } from './actors/index';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    seed: { type: 'string', default: '1' },
    token: { type: 'string' },
  },
  allowPositionals: false,
});

const port = Number(values.port);
const seed = Number(values.seed);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}
if (!Number.isInteger(seed)) {
  console.error(`invalid --seed ${values.seed}`);
  process.exit(2);
}

const sandbox = await startSandbox({ port, seed, ...(values.token ? { accessToken: values.token } : {}) });
const { buildMs, loadMs, counts } = sandbox.seedStats;
console.error(`[sandbox] seed ${seed}: built in ${buildMs.toFixed(0)} ms, loaded in ${loadMs.toFixed(0)} ms, ${JSON.stringify(counts)}`);
process.stdout.write(`SANDBOX_URL=${sandbox.url}\n`);
startActors(sandbox.url, values.token ? { token: values.token } : {});

const stop = (): void => {
  console.error('[sandbox] stopping');
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
