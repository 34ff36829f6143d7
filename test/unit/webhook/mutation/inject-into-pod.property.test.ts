import jsonpatch from 'fast-json-patch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { injectable } from '../../../builders/annotations.js';
import { aPod } from '../../../builders/pod.js';
import { inject, specOf, type JsonObject } from './support.js';

const anything = fc.jsonValue({ maxDepth: 3 });

// No token file needed, so that pods without a service-account mount can succeed too.
const spec = specOf(aPod().annotated(injectable({ 'auth-config-token-path': '/t/token' })).build());
/** Mostly `valid`, sometimes any JSON at all. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: anything, weight: 1 });
const name = fc.constantFrom('app', 'web', 'vault-agent', 'vault-secrets', 'kube-api-access-x7k2p', '');
const mount = mostly(
  fc.record({ name, mountPath: fc.constantFrom('/data', '/vault/secrets', '/var/run/secrets/kubernetes.io/serviceaccount', '/x/serviceaccount') }),
);
const container = mostly(
  fc.record({ name, volumeMounts: mostly(fc.array(mount, { maxLength: 3 })), ports: anything }, { requiredKeys: ['name'] }),
);
const volume = mostly(
  fc.oneof(
    fc.record({ name, projected: fc.constant({ sources: [{ serviceAccountToken: { path: 'token' } }] }) }),
    fc.record({ name, emptyDir: fc.constant({}) }),
  ),
);
/** Pod-shaped JSON where any part may be wrong. */
const podLike = fc.record(
  {
    metadata: mostly(fc.constant({ name: 'p', annotations: {} })),
    spec: mostly(
      fc.record(
        {
          containers: mostly(fc.array(container, { maxLength: 3 })),
          initContainers: mostly(fc.array(container, { maxLength: 2 })),
          volumes: mostly(fc.array(volume, { maxLength: 3 })),
          securityContext: anything,
          shareProcessNamespace: anything,
          terminationGracePeriodSeconds: anything,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('injectIntoPod on arbitrary pod-shaped JSON', () => {
  // About a fifth of the generated pods are injected; the rest are refused for their shape.
  it('never throws; refuses with messages or returns a patch that produces the mutated pod', () => {
    fc.assert(
      fc.property(podLike, (generated) => {
        // What a webhook receives has been through JSON (no -0, no undefined).
        const pod = JSON.parse(JSON.stringify(generated)) as unknown;
        const before = structuredClone(pod);
        const result = inject(pod as JsonObject, {}, spec);
        expect(pod).toEqual(before);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) expect(problem.message).not.toBe('');
          return;
        }
        expect(jsonpatch.applyPatch(structuredClone(pod), result.patch, true, false).newDocument).toEqual(result.pod);
      }),
      { numRuns: 2000 },
    );
  });
});
