/** The {@link LoginMethod} for the configured auth method. */
import type { AuthConfig, VaultConnection } from '../../../contract/agent-config/index.js';
import type { Logger } from '../../observe/logger.js';
import { createAppRoleLogin } from './approle.js';
import { createCertLogin, type ClientFactory } from './cert.js';
import { createJwtLogin } from './jwt.js';
import { createKubernetesLogin } from './kubernetes.js';
import type { LoginMethod } from './login-method.js';
import { createTokenFileLogin } from './token-file.js';

export interface LoginMethodDependencies {
  vault: VaultConnection;
  logger: Logger;
  /** Builds the cert method's own TLS client. */
  createClient: ClientFactory;
}

export function createLoginMethod(auth: AuthConfig, deps: LoginMethodDependencies): LoginMethod {
  switch (auth.method) {
    case 'kubernetes':
      return createKubernetesLogin(auth);
    case 'jwt':
      return createJwtLogin(auth, deps.logger);
    case 'approle':
      return createAppRoleLogin(auth, deps.logger);
    case 'token_file':
      return createTokenFileLogin(auth, deps.logger);
    case 'cert':
      return createCertLogin(auth, deps.vault, deps.createClient);
  }
}
