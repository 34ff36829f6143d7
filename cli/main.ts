/**
 * The vault-injector command line: one binary, one subcommand per job.
 * This is the only module of the CLI that reads process.argv or exits.
 */
import { runAnnotationsCommand } from './commands/annotations.js';
import { runInjectCommand } from './commands/inject.js';
import { CliUsageError } from './cli-error.js';

interface Command {
  summary: string;
  run(args: string[], env: Readonly<Record<string, string | undefined>>): Promise<number> | number;
}

const commands: Record<string, Command> = {
  // Loaded on use, like webhook: the agent's dependencies stay out of the other commands.
  agent: { summary: 'Run the Vault agent (init, sidecar or native sidecar); --help lists its options.', run: async (args, env) => (await import('./commands/agent.js')).runAgentCommand(args, env) },
  annotations: {
    summary: 'List every annotation the injector understands (--json for machine-readable output).',
    run: runAnnotationsCommand,
  },
  certs: {
    summary: 'Generate a CA and a serving certificate for the webhook (ca.crt, tls.crt, tls.key).',
    run: async (args) => (await import('./commands/certs.js')).runCertsCommand(args),
  },
  inject: {
    summary: 'Print workload manifests with their pod templates mutated as the webhook would (--patch for the JSON Patch).',
    run: runInjectCommand,
  },
  // Loaded on use: the server's dependencies (fastify, prom-client) stay out of the other commands.
  webhook: { summary: 'Run the admission webhook (HTTPS); --help lists its flags.', run: async (args, env) => (await import('./commands/webhook.js')).runWebhookCommand(args, env) },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['Usage: vault-injector <command> [options]', '', 'Commands:', ...lines, '', 'Run "vault-injector <command> --help" for the options of a command.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`vault-injector: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, process.env);
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`vault-injector ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
