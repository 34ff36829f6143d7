import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cli = resolve(root, 'bin/vault-injector');
const example = resolve(root, 'examples/deployment.yaml');
const vault = ['--vault-address', 'https://vault.vault.svc:8200'];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('vault-injector inject', () => {
  it('prints a Deployment whose pod template carries vault-agent-init, vault-agent and the vault-secrets volume', async () => {
    const { stdout } = await run(cli, ['inject', '-f', example, ...vault]);
    const deployment = parse(stdout) as Json;
    expect(deployment.kind).toBe('Deployment');
    const spec = deployment.spec.template.spec;
    expect(spec.initContainers.map((c: Json) => c.name)).toEqual(['vault-agent-init']);
    expect(spec.containers.map((c: Json) => c.name)).toEqual(['orders', 'vault-agent']);
    expect(spec.volumes.map((v: Json) => v.name)).toContain('vault-secrets');
    expect(deployment.spec.template.metadata.annotations['vault.hashicorp.com/agent-inject-status']).toBe('injected');
  });

  it('prints the JSON Patch with --patch, the same the webhook answers', async () => {
    const { stdout } = await run(cli, ['inject', '-f', example, '--patch', ...vault]);
    const patch = JSON.parse(stdout) as jsonpatch.Operation[];
    expect(patch.some((op) => op.path === '/metadata/annotations/vault.hashicorp.com~1agent-inject-status')).toBe(true);
  });

  it('handles several documents and kinds, and passes other kinds through', async () => {
    const manifest = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}',
      `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "0 1 * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          annotations:\n            vault.hashicorp.com/agent-inject: "true"\n            vault.hashicorp.com/agent-pre-populate-only: "true"\n            vault.hashicorp.com/role: batch\n            vault.hashicorp.com/agent-inject-secret-token: auth/token/lookup-self\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: job, image: busybox}]`,
    ].join('\n---\n');
    const child = run(cli, ['inject', '-f', '-', ...vault]);
    child.child.stdin!.end(manifest);
    const { stdout, stderr } = await child;
    const docs = parseAllDocuments(stdout).map((d) => d.toJSON() as Json);
    expect(docs.map((d) => d.kind)).toEqual(['Service', 'CronJob']);
    const pod = docs[1]!.spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers.map((c: Json) => c.name)).toEqual(['vault-agent-init']);
    expect(pod.containers.map((c: Json) => c.name)).toEqual(['job']);
    expect(stderr).toContain('Service/s: skipped');
  });

  it('reports a denial on stderr, naming the annotation, and exits 1', async () => {
    const manifest = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    vault.hashicorp.com/agent-inject: "yes"\nspec: {containers: [{name: c, image: x}]}\n';
    const child = run(cli, ['inject', '-f', '-', ...vault]);
    child.child.stdin!.end(manifest);
    await expect(child).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('Pod/p: denied: vault-injector: vault.hashicorp.com/agent-inject:') });
  });
});
