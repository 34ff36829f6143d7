/**
 * Catalog: agent runtime behaviour (caching proxy, quit endpoint, template refresh, connections).
 */
import { plainOptional, plainWithDefault, Support } from './entry.js';
import { commaList, duration, float, goBool, integer, oneOf, port } from './value-types.js';

const NO_CACHE =
  'This agent has no API-proxy cache: each agent container keeps its own token and leases.';

/** Values vault-k8s passes to disable_idle_connections / disable_keep_alives. */
export const CONNECTION_SCOPES = ['auto-auth', 'caching', 'templating', 'proxying'] as const;

export const agentAnnotations = {
  cacheEnable: plainWithDefault({
    key: 'agent-cache-enable',
    description: 'Run Vault Agent\'s caching API proxy (persistent between init and sidecar).',
    type: goBool,
    default: 'false',
    support: Support.ignored,
    note: NO_CACHE,
  }),
  cacheUseAutoAuthToken: plainWithDefault({
    key: 'agent-cache-use-auto-auth-token',
    description: 'Whether the cache proxy adds the auto-auth token to requests: true, false or force.',
    type: oneOf(['true', 'false', 'force']),
    default: 'true',
    support: Support.ignored,
    note: NO_CACHE,
  }),
  cacheListenerPort: plainWithDefault({
    key: 'agent-cache-listener-port',
    description: 'Loopback port of the cache proxy listener.',
    type: port,
    default: '8200',
    support: Support.ignored,
    note: NO_CACHE,
  }),
  cacheExitOnErr: plainWithDefault({
    key: 'agent-cache-exit-on-err',
    description: 'Exit when the persistent cache cannot be restored.',
    type: goBool,
    default: 'false',
    support: Support.ignored,
    note: NO_CACHE,
  }),
  enableQuit: plainWithDefault({
    key: 'agent-enable-quit',
    description: 'Serve POST /agent/v1/quit on loopback so the app can stop the sidecar (e.g. when a Job ends).',
    type: goBool,
    default: 'false',
  }),
  templateConfigExitOnRetryFailure: plainWithDefault({
    key: 'template-config-exit-on-retry-failure',
    description: 'Exit the agent when a template still fails after all retries.',
    type: goBool,
    default: 'true',
    injector: { env: 'AGENT_INJECT_TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE', flag: 'template-config-exit-on-retry-failure' },
  }),
  staticSecretRenderInterval: plainOptional({
    key: 'template-static-secret-render-interval',
    description: 'How often secrets without a lease (e.g. KV) are read again to pick up changes.',
    type: duration,
    injector: { env: 'AGENT_INJECT_TEMPLATE_STATIC_SECRET_RENDER_INTERVAL', flag: 'template-static-secret-render-interval' },
    defaultText: '5m (agent default)',
  }),
  maxConnectionsPerHost: plainOptional({
    key: 'template-max-connections-per-host',
    description: 'Most concurrent connections the agent opens to Vault; 0 means the agent default.',
    type: integer(0, 10_000, 'a connection count'),
    injector: { env: 'AGENT_INJECT_TEMPLATE_MAX_CONNECTIONS_PER_HOST', flag: 'template-max-connections-per-host' },
    defaultText: '10 (agent default)',
  }),
  leaseRenewalThreshold: plainOptional({
    key: 'template-lease-renewal-threshold',
    description: 'Fraction of a lease\'s duration after which a non-renewable secret is fetched again (0 to 1).',
    type: float(0, 1, 'a fraction'),
    injector: { env: 'AGENT_INJECT_TEMPLATE_LEASE_RENEWAL_THRESHOLD', flag: 'template-lease-renewal-threshold' },
    defaultText: '0.9 (agent default)',
  }),
  disableIdleConnections: plainOptional({
    key: 'agent-disable-idle-connections',
    description: `Comma list of agent parts that must not keep idle connections: ${CONNECTION_SCOPES.join(', ')}.`,
    type: commaList,
    injector: { env: 'AGENT_INJECT_DISABLE_IDLE_CONNECTIONS', flag: 'disable-idle-connections' },
  }),
  disableKeepAlives: plainOptional({
    key: 'agent-disable-keep-alives',
    description: `Comma list of agent parts that must not use HTTP keep-alive: ${CONNECTION_SCOPES.join(', ')}.`,
    type: commaList,
    injector: { env: 'AGENT_INJECT_DISABLE_KEEP_ALIVES', flag: 'disable-keep-alives' },
  }),
};
