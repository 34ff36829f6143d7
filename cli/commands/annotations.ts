import { catalogRows, DEFAULT_ANNOTATION_PREFIX } from '../../contract/annotations/index.js';
import { renderCatalogText } from '../catalog-table.js';
import { parseCliArgs } from '../parse-cli-args.js';

const HELP = `Usage: vault-injector annotations [--json] [--prefix PREFIX]

Lists every annotation the injector understands: the vault-k8s family, its per-secret
(<name>) and prefix (<param>) families, and this injector's extensions.

Options:
  --json            print a JSON array of objects (key, form, description, default, type,
                    extension, support, injectorEnv, note)
  --prefix PREFIX   annotation prefix (default: ${DEFAULT_ANNOTATION_PREFIX})
  -h, --help        show this help`;

export function runAnnotationsCommand(args: string[]): number {
  const { values } = parseCliArgs(args, {
    json: { type: 'boolean', default: false },
    prefix: { type: 'string', default: DEFAULT_ANNOTATION_PREFIX },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const rows = catalogRows(values.prefix);
  process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : `${renderCatalogText(rows)}\n`);
  return 0;
}
