// The practice software's stand-in for the `relais launch` benchmarks: a small process of its own
// that starts the launch command when asked, as the LGC does. Spawned from the bench process
// instead, the command started late: that process also hosts Relais and drives Chromium, and
// forking a process of its size (and its busy event loop) added tens of milliseconds no practice
// software pays. Protocol: one JSON line in ({ command, args, env }), one JSON line out
// ({ t0, code }) when the command has ended; t0 is epoch milliseconds, comparable with the page's.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const epochNow = () => performance.timeOrigin + performance.now();
for await (const line of createInterface({ input: process.stdin })) {
  const { command, args, env } = JSON.parse(line);
  const t0 = epochNow();
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  child.on('error', () => process.stdout.write(`${JSON.stringify({ t0, code: -1 })}\n`));
  child.on('close', (code) => process.stdout.write(`${JSON.stringify({ t0, code })}\n`));
}
