/**
 * The webhook's pino logger: JSON lines on stdout in both log formats. `standard` uses pino's
 * keys (`level` as a label, `time`, `msg`); `json` uses the keys of vault-k8s's hclog JSON
 * (`@level`, `@timestamp`, `@message`, `@module`), so log pipelines built for vault-k8s keep
 * working after the swap.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { InjectorConfig } from '../injector-config.js';

export function createLogger(config: Pick<InjectorConfig, 'logLevel' | 'logFormat'>, destination?: DestinationStream): Logger {
  const options: LoggerOptions =
    config.logFormat === 'json'
      ? {
          level: config.logLevel,
          base: { '@module': 'handler' },
          messageKey: '@message',
          timestamp: () => `,"@timestamp":"${new Date().toISOString()}"`,
          formatters: { level: (label) => ({ '@level': label }) },
        }
      : {
          level: config.logLevel,
          base: undefined,
          timestamp: pino.stdTimeFunctions.isoTime,
          formatters: { level: (label) => ({ level: label }) },
        };
  return destination ? pino(options, destination) : pino(options);
}
