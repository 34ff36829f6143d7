/**
 * CPU cost of one admission decision, without HTTP: `createAdmit` on the bench's three review
 * sizes, with a breakdown of the parts. Prints microseconds per decision.
 *
 *   npx tsx bench/webhook/admit-micro.ts [--iterations N]
 */
import { parseArgs } from 'node:util';
import { parseAnnotations } from '../../contract/annotations/index.js';
import type { AdmissionRequest } from '../../webhook/admission-types.js';
import { createAdmit } from '../../webhook/admit.js';
import { benchReview, REVIEW_SHAPES } from './reviews.js';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '2000' } } });
const iterations = Number(values.iterations);
const admit = createAdmit({ annotationPrefix: 'vault.hashicorp.com/', injectorDefaults: { service: 'https://vault.vault.svc:8200' }, vaultCaCertPem: undefined });

function timeUs(run: () => void): number {
  for (let i = 0; i < Math.min(200, iterations); i++) run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

for (const shape of REVIEW_SHAPES) {
  const request = (JSON.parse(benchReview(shape)) as { request: AdmissionRequest }).request;
  const outcome = admit(request);
  if (outcome.kind !== 'inject') throw new Error(`expected an injection for ${shape.label}, got ${outcome.kind}`);
  const annotations = ((request.object as { metadata: { annotations: Record<string, string> } }).metadata.annotations);
  const total = timeUs(() => admit(request));
  const parse = timeUs(() => parseAnnotations(annotations, { injectorDefaults: { service: 'https://vault.vault.svc:8200' } }));
  console.log(`${shape.label.padEnd(8)} admit ${total.toFixed(0).padStart(6)} µs/decision   parseAnnotations ${parse.toFixed(0).padStart(5)} µs   patch ops ${outcome.patch.length}`);
}
