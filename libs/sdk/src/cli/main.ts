#!/usr/bin/env node
// The `agentmarket` command line: see `agentmarket --help`.
import module from 'node:module';

// A command line starts often and runs briefly: caching the compiled (type-stripped) modules between runs
// more than halves its start-up. Enabled before the CLI's modules load, hence the dynamic import below.
module.enableCompileCache?.();
const { runCli } = await import('./run-cli.ts');

const stop = new AbortController();
// Ctrl-C ends a `watch` cleanly (exit 0); a second one kills the process as usual.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => stop.abort());
}

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  signal: stop.signal,
});
process.exitCode = code;
// Nothing else should be keeping the process alive, but a half-closed socket must not hold it open.
setImmediate(() => process.exit(code));
