/**
 * Command-line flags of `vault-injector webhook`, generated from the settings declared in
 * injector-config.ts (one flag per setting, named as in vault-k8s), and the help text listing
 * each with its environment variable and default.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, SERVER_SETTINGS, type ServerSetting } from '../injector-config.js';

export type FlagParseResult =
  | { ok: true; help: boolean; flags: Record<string, string | undefined> }
  | { ok: false; message: string };

const ALL_SETTINGS: readonly ServerSetting[] = [...Object.values(SERVER_SETTINGS), ...DEFAULT_SETTINGS];

export function parseWebhookFlags(args: readonly string[]): FlagParseResult {
  const options = Object.fromEntries(ALL_SETTINGS.map((s) => [s.flag, { type: 'string' as const }]));
  try {
    const { values, positionals } = parseArgs({
      args: args.map(goStyleFlag),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) return { ok: false, message: `unexpected argument "${positionals[0]}"` };
    const { help, ...flags } = values as Record<string, string | boolean | undefined>;
    return { ok: true, help: help === true, flags: flags as Record<string, string | undefined> };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** vault-k8s (Go's flag package) takes `-listen=:8080`; accept that spelling too. */
function goStyleFlag(arg: string): string {
  return /^-[a-z][a-z0-9-]+(=|$)/.test(arg) ? `-${arg}` : arg;
}

export function webhookHelp(): string {
  const width = Math.max(...ALL_SETTINGS.map((s) => s.flag.length)) + 2;
  const describe = (s: ServerSetting): string[] => [
    `  --${s.flag.padEnd(width)}${s.description}`,
    `    ${''.padEnd(width)}env ${s.env}, default ${JSON.stringify(s.default)}`,
  ];
  return [
    'Usage: vault-injector webhook [flags]',
    '',
    'Runs the mutating admission webhook that injects the Vault agent into pods (HTTPS only).',
    'Every flag can also be set through its environment variable; a non-empty environment',
    'variable wins over the flag, as in vault-k8s. Go-style single-dash flags (-listen=:8443) work.',
    '',
    'Server:',
    ...Object.values(SERVER_SETTINGS).flatMap(describe),
    '',
    'Injector-wide defaults (a pod annotation overrides each):',
    ...DEFAULT_SETTINGS.flatMap(describe),
    '',
    `  -h, --help${''.padEnd(width - 8)}show this help`,
  ].join('\n');
}
