/**
 * Runs the mutation the way the admission handler does (annotations parsed from the pod, then
 * `injectIntoPod`) and checks what every successful injection must satisfy: the patch turns the
 * original into the returned pod, the result is a valid Pod, and the input is untouched.
 */
import { readFileSync } from 'node:fs';
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { Pod } from 'kubernetes-models/v1';
import { expect } from 'vitest';
import { AGENT_CONFIG_ENV_VAR } from '../../../../contract/agent-config/index.js';
import { parseAnnotations, type InjectionSpec, type InjectorDefaults } from '../../../../contract/annotations/index.js';
import type { InjectionType } from '../../../../webhook/admission-types.js';
import {
  injectIntoPod,
  type InjectionContext,
  type MutationProblem,
  type MutationResult,
} from '../../../../webhook/mutation/index.js';
import { PREFIX } from '../../../builders/annotations.js';

export type JsonObject = Record<string, unknown>;

/** The one env var the test config builder returns. */
export const TEST_CONFIG_ENV = { name: AGENT_CONFIG_ENV_VAR, value: 'test-config' };

export interface InjectOptions {
  injectorDefaults?: InjectorDefaults;
  prefix?: string;
  agentConfigEnv?: InjectionContext['agentConfigEnv'];
}

/** The spec the parser makes of the pod's annotations; fails the test if they do not parse. */
export function specOf(pod: JsonObject, options: InjectOptions = {}): InjectionSpec {
  const metadata = pod['metadata'] as JsonObject | undefined;
  const parsed = parseAnnotations(metadata?.['annotations'] as Record<string, unknown> | undefined, {
    prefix: options.prefix ?? PREFIX,
    injectorDefaults: options.injectorDefaults ?? {},
  });
  if (!parsed.ok) throw new Error(`annotations do not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.spec;
}

export function inject(pod: JsonObject, options: InjectOptions = {}, spec = specOf(pod, options)): MutationResult {
  return injectIntoPod(pod, {
    spec,
    prefix: options.prefix ?? PREFIX,
    agentConfigEnv: options.agentConfigEnv ?? (() => ({ ok: true, env: [TEST_CONFIG_ENV] })),
  });
}

export interface Injected {
  pod: JsonObject;
  patch: Operation[];
  warnings: string[];
  injectionType: InjectionType;
  /** `op path` of every operation, in order. */
  ops: string[];
  spec: JsonObject;
  containers: JsonObject[];
  initContainers: JsonObject[];
  volumes: JsonObject[];
  container(name: string): JsonObject;
  initContainer(name: string): JsonObject;
  volume(name: string): JsonObject;
  /** Volume mount paths of a container or init container, by volume name. */
  mountsOf(container: string): Record<string, string>;
}

/** Injects, asserts success and every invariant, and returns the result with accessors. */
export function injected(pod: JsonObject, options: InjectOptions = {}, spec?: InjectionSpec): Injected {
  const before = structuredClone(pod);
  const result = inject(pod, options, spec);
  expect(pod, 'the input pod is not modified').toEqual(before);
  if (!result.ok) throw new Error(`expected an injection, got problems: ${JSON.stringify(result.problems)}`);
  const patched = jsonpatch.applyPatch(structuredClone(pod), result.patch, true, false).newDocument;
  expect(patched, 'applying the patch to the original gives the mutated pod').toEqual(result.pod);
  new Pod(result.pod as ConstructorParameters<typeof Pod>[0]).validate();
  // Each member is written once: an `add` to a path an earlier op created would replace it (the
  // vault-k8s /spec/volumes bug). Appends (`/-`) may repeat.
  const paths = result.patch.map((op) => op.path).filter((path) => !path.endsWith('/-'));
  expect(new Set(paths).size, 'no path is written twice').toBe(paths.length);
  return view(result.pod as JsonObject, result.patch, result.warnings, result.injectionType);
}

/** Injects and asserts refusal; returns the problems. */
export function refused(pod: JsonObject, options: InjectOptions = {}, spec?: InjectionSpec): MutationProblem[] {
  const before = structuredClone(pod);
  const result = inject(pod, options, spec);
  expect(pod).toEqual(before);
  if (result.ok) throw new Error(`expected problems, got an injection with patch ${JSON.stringify(result.patch)}`);
  expect(result.problems.length).toBeGreaterThan(0);
  return result.problems;
}

function view(pod: JsonObject, patch: Operation[], warnings: string[], injectionType: InjectionType): Injected {
  const spec = pod['spec'] as JsonObject;
  const list = (field: string): JsonObject[] => (spec[field] as JsonObject[] | undefined) ?? [];
  const named = (items: JsonObject[], what: string, name: string): JsonObject => {
    const found = items.find((item) => item['name'] === name);
    if (!found) throw new Error(`no ${what} named ${name}`);
    return found;
  };
  const allContainers = (): JsonObject[] => [...list('containers'), ...list('initContainers')];
  return {
    pod,
    patch,
    warnings,
    injectionType,
    ops: patch.map((op) => `${op.op} ${op.path}`),
    spec,
    containers: list('containers'),
    initContainers: list('initContainers'),
    volumes: list('volumes'),
    container: (name) => named(list('containers'), 'container', name),
    initContainer: (name) => named(list('initContainers'), 'init container', name),
    volume: (name) => named(list('volumes'), 'volume', name),
    mountsOf: (name) =>
      Object.fromEntries(
        ((named(allContainers(), 'container', name)['volumeMounts'] as JsonObject[] | undefined) ?? []).map((m) => [
          m['name'],
          m['mountPath'],
        ]),
      ),
  };
}

/** A pod from `test/fixtures/pods/`. */
export function fixture(name: string): JsonObject {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/pods/${name}`, import.meta.url), 'utf8')) as JsonObject;
}

export const names = (items: JsonObject[]): unknown[] => items.map((item) => item['name']);
