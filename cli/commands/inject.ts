/**
 * `vault-injector inject -f FILE`: the webhook's mutation, offline. Reads workload YAML (many
 * documents) and prints the same objects with each pod template mutated exactly as the webhook
 * would mutate the pod, or the JSON Patch with --patch.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import jsonpatch from 'fast-json-patch';
import { parseAllDocuments, stringify } from 'yaml';
import { createAdmit } from '../../webhook/admit.js';
import { decodeCaBytes, DEFAULT_SETTINGS, SERVER_SETTINGS } from '../../webhook/injector-config.js';
import { CliUsageError } from '../cli-error.js';
import { parseCliArgs } from '../parse-cli-args.js';
import { findPodTemplate, SUPPORTED_KINDS, withPodTemplate } from '../pod-templates.js';
import { addServiceAccountVolume } from '../service-account-admission.js';

type JsonObject = Record<string, unknown>;

const injectorFlags = DEFAULT_SETTINGS.map((s) => s.flag);

const HELP = `Usage: vault-injector inject -f FILE [--patch] [--namespace NS] [injector flags]

Prints the objects in FILE (YAML, several documents allowed; "-" reads stdin) with every pod
template mutated exactly as the webhook would mutate the pod. Kinds: ${SUPPORTED_KINDS.join(', ')}.
Denials and warnings go to stderr; the exit code is 1 when any pod is denied.

The API server's ServiceAccount admission runs before the webhook and mounts the pod's
service-account token; the preview does the same (volume kube-api-access-preview), so the
output shows the pod as the webhook sees and mutates it.

Options:
  -f, --filename FILE     the manifest to read
  --patch                 print each pod's JSON Patch (one JSON array per document) instead
  --namespace NS          namespace for objects without one (default: default)
  --annotation-prefix P   annotation prefix (default: ${SERVER_SETTINGS.annotationPrefix.default})
  --vault-cacert-bytes S  the injector's CA bundle for Vault (PEM or base64)
  --<flag> VALUE          any injector-wide default the webhook takes, e.g. --vault-address,
                          --vault-image, --cpu-limit (see "vault-injector webhook --help");
                          AGENT_INJECT_* environment variables apply as for the webhook
  -h, --help              show this help`;

export async function runInjectCommand(args: string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const { values } = parseCliArgs(args, {
    filename: { type: 'string', short: 'f' },
    patch: { type: 'boolean', default: false },
    namespace: { type: 'string', default: 'default' },
    'annotation-prefix': { type: 'string' },
    'vault-cacert-bytes': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
    ...Object.fromEntries(injectorFlags.map((flag) => [flag, { type: 'string' as const }])),
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const file = values.filename as string | undefined;
  if (!file) throw new CliUsageError('-f FILE is required (use "-" for stdin)');

  const flagValues = values as Record<string, string | boolean | undefined>;
  const pick = (flag: string, envName: string) => (env[envName] ? env[envName] : (flagValues[flag] as string | undefined));
  const injectorDefaults = Object.fromEntries(DEFAULT_SETTINGS.map((s) => [s.annotation, pick(s.flag, s.env)]));
  const prefix = pick('annotation-prefix', SERVER_SETTINGS.annotationPrefix.env) ?? SERVER_SETTINGS.annotationPrefix.default;
  const vaultCaCertPem = pick('vault-cacert-bytes', SERVER_SETTINGS.vaultCaCertBytes.env);
  const admit = createAdmit({ annotationPrefix: prefix, injectorDefaults, vaultCaCertPem: decodeCaBytes(vaultCaCertPem ?? '') });

  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliUsageError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  const documents = parseAllDocuments(text);
  let denied = false;
  const output: string[] = [];
  for (const [index, doc] of documents.entries()) {
    if (doc.errors.length > 0) throw new CliUsageError(`document ${index + 1} is not valid YAML: ${doc.errors[0]!.message}`);
    const object = doc.toJSON() as unknown;
    if (object === null || object === undefined) continue;
    const label = describe(object, index);
    const found = findPodTemplate(object);
    if (!found.ok) {
      process.stderr.write(`${label}: skipped: ${found.message}\n`);
      output.push(values.patch ? '[]' : stringify(object));
      continue;
    }
    const workload = object as JsonObject;
    const namespace = namespaceOf(workload) ?? (values.namespace as string);
    const pod = addServiceAccountVolume({ apiVersion: 'v1', kind: 'Pod', ...found.pod, metadata: { ...(found.pod['metadata'] as JsonObject), namespace } });
    const outcome = admit({ uid: randomUUID(), operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace, object: pod });
    for (const warning of outcome.warnings) process.stderr.write(`${label}: warning: ${warning}\n`);
    if (outcome.kind === 'deny') {
      denied = true;
      process.stderr.write(`${label}: denied: ${outcome.message}\n`);
      continue;
    }
    if (outcome.kind === 'skip') process.stderr.write(`${label}: not injected (${outcome.reason})\n`);
    const patch = outcome.kind === 'inject' ? outcome.patch : [];
    if (values.patch) {
      output.push(JSON.stringify(patch, null, 2));
      continue;
    }
    const mutated = jsonpatch.applyPatch(structuredClone(pod), patch, true, false).newDocument as JsonObject;
    const { apiVersion: _a, kind: _k, ...template } = mutated;
    const restored = found.path.length === 0 ? { apiVersion: 'v1', kind: 'Pod', ...template } : template;
    if (namespaceOf(workload) === undefined) delete (restored['metadata'] as JsonObject)['namespace'];
    output.push(stringify(withPodTemplate(workload, found.path, restored)));
  }
  process.stdout.write(values.patch ? `${output.join('\n')}\n` : output.join('---\n'));
  return denied ? 1 : 0;
}

function namespaceOf(object: JsonObject): string | undefined {
  const metadata = object['metadata'];
  const namespace = metadata && typeof metadata === 'object' ? (metadata as JsonObject)['namespace'] : undefined;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

function describe(object: unknown, index: number): string {
  const o = (object ?? {}) as JsonObject;
  const name = ((o['metadata'] ?? {}) as JsonObject)['name'];
  return `${typeof o['kind'] === 'string' ? o['kind'] : 'document'}/${typeof name === 'string' ? name : `#${index + 1}`}`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
