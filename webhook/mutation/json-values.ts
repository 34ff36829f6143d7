/**
 * Plain-JSON helpers for pods as received: objects, arrays and scalars only, whatever the user
 * wrote. Nothing here trusts a shape.
 */
import { isJsonObject as isRecord } from '../../contract/json-object.js';
import type { JsonObject } from './k8s-shapes.js';

export { isRecord };

/** Own enumerable keys whose value is not `undefined` (what JSON would serialize). */
export function definedKeys(object: JsonObject): string[] {
  return Object.keys(object).filter((key) => object[key] !== undefined);
}

/**
 * A deep copy of a JSON value. Own `__proto__` keys (JSON.parse creates them) stay data, never
 * become a prototype.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) items[i] = cloneJson(value[i]);
    return items as T;
  }
  const source = value as JsonObject;
  const copy: JsonObject = {};
  for (const key of Object.keys(source)) {
    const member = cloneJson(source[key]);
    if (key === '__proto__') setOwn(copy, key, member);
    else copy[key] = member;
  }
  return copy as T;
}

/** `object[key] = value`, safe for the key `__proto__`. */
export function setOwn(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** Structural equality of JSON values; keys whose value is `undefined` count as absent. */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => isDeepEqual(item, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = definedKeys(a);
  if (keys.length !== definedKeys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && isDeepEqual(a[key], b[key]));
}

/** Code-unit order, independent of locale (so output never depends on the machine). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
