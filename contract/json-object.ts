/** A JSON object as parsed: what pods, reviews and Vault responses are before anything is checked. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null object that is not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
