/**
 * `127.0.0.1`, `localhost` or `[::1]`, then a port. The listener has no TLS and, with
 * `useAutoAuthToken`, adds the agent's token to any request it forwards: bound to the pod IP it
 * would hand the token to anyone who can reach the pod, so only loopback is accepted (vault-k8s
 * always uses `127.0.0.1:<port>`).
 */
const LOOPBACK_ADDRESS = /^(127\.0\.0\.1|localhost|\[::1\]):([0-9]{1,5})$/;

/** The port of a listener address, or undefined when the address is not a loopback host:port. */
export function listenerPort(address: string): number | undefined {
  const match = LOOPBACK_ADDRESS.exec(address);
  const port = match?.[2] === undefined ? Number.NaN : Number(match[2]);
  return port >= 1 && port <= 65_535 ? port : undefined;
}
