/**
 * The agent process: `node dist/agent.js [--config FILE] [--root-dir DIR]` in the release image,
 * or `vault-injector agent …` through the CLI. The only agent module that touches the process:
 * argv, env, stdout/stderr, SIGTERM/SIGINT and the exit code.
 */
import { exitWhenFlushed, processHost } from '../cli/process-host.js';
import { runAgent } from './run/run-agent.js';

exitWhenFlushed(await runAgent(process.argv.slice(2), processHost()));
