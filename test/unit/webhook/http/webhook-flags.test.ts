import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SERVER_SETTINGS } from '../../../../webhook/injector-config.js';
import { parseWebhookFlags, webhookHelp } from '../../../../webhook/server/webhook-flags.js';

describe('vault-injector webhook flags', () => {
  it('--help lists every setting with its flag, environment variable and default', () => {
    const help = webhookHelp();
    for (const setting of [...Object.values(SERVER_SETTINGS), ...DEFAULT_SETTINGS]) {
      expect(help).toContain(`--${setting.flag} `);
      expect(help).toContain(`env ${setting.env}, default ${JSON.stringify(setting.default)}`);
    }
  });

  it('reads --flag value and --flag=value', () => {
    expect(parseWebhookFlags(['--listen', ':8443', '--vault-address=https://vault:8200'])).toEqual({
      ok: true,
      help: false,
      flags: { listen: ':8443', 'vault-address': 'https://vault:8200' },
    });
  });

  it("accepts Go's single-dash spelling, as vault-k8s documents its flags", () => {
    expect(parseWebhookFlags(['-listen=:8443', '-log-level', 'debug', '-h'])).toEqual({
      ok: true,
      help: true,
      flags: { listen: ':8443', 'log-level': 'debug' },
    });
  });

  it.each([
    [['--no-such-flag', 'x'], "Unknown option '--no-such-flag'"],
    [['serve'], 'unexpected argument "serve"'],
    [['--listen'], "argument missing"],
  ])('rejects %j', (args, message) => {
    const result = parseWebhookFlags(args);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.message).toContain(message);
  });
});
