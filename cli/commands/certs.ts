/**
 * `vault-injector certs --hosts HOSTS --out DIR`: a CA and a serving certificate for the
 * webhook, written as ca.crt, tls.crt and tls.key (the names of a Kubernetes TLS Secret plus its
 * CA). Files are replaced atomically, so a webhook watching DIR never reads a half-written pair.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../agent/files/atomic-write.js';
import { generateCa, issueServingCertificate, splitHosts } from '../../certs/generate-certificates.js';
import { CliUsageError } from '../cli-error.js';
import { parseCliArgs } from '../parse-cli-args.js';

const HELP = `Usage: vault-injector certs --hosts HOSTS --out DIR [--days N] [--ca-days N]

Generates an ECDSA P-256 certificate authority and a serving certificate signed by it, and
writes DIR/ca.crt, DIR/tls.crt and DIR/tls.key (mode 0600).

Options:
  --hosts HOSTS   comma-separated DNS names and IP addresses for the certificate's SANs,
                  e.g. vault-injector.vault.svc,localhost,127.0.0.1
  --out DIR       directory to write to (created if missing)
  --days N        validity of the serving certificate in days (default 365)
  --ca-days N     validity of the CA in days (default 3650)
  -h, --help      show this help`;

export async function runCertsCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, {
    hosts: { type: 'string' },
    out: { type: 'string' },
    days: { type: 'string', default: '365' },
    'ca-days': { type: 'string', default: '3650' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { dnsNames, ipAddresses } = splitHosts((values.hosts ?? '').split(','));
  if (dnsNames.length + ipAddresses.length === 0) throw new CliUsageError('--hosts needs at least one DNS name or IP address');
  if (!values.out) throw new CliUsageError('--out DIR is required');
  const days = positiveInteger(values.days, '--days');
  const caDays = positiveInteger(values['ca-days'], '--ca-days');

  const ca = await generateCa({ validityDays: caDays });
  const serving = await issueServingCertificate(ca, { dnsNames, ipAddresses, validityDays: days });
  const write = (name: string, content: string, mode: number) =>
    writeFileAtomic(join(values.out!, name), content, { mode, createDirs: true });
  await write('ca.crt', ca.certPem, 0o644);
  // Key before certificate: a watcher that sees the new certificate finds its key already there.
  await write('tls.key', serving.keyPem, 0o600);
  await write('tls.crt', serving.certPem, 0o644);
  process.stdout.write(`wrote ca.crt, tls.crt, tls.key to ${values.out} (SANs: ${[...dnsNames, ...ipAddresses].join(', ')})\n`);
  return 0;
}

function positiveInteger(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`${flag} must be a whole number of days, at least 1`);
  return n;
}
