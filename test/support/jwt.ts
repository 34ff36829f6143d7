// Signing JWTs with node:crypto alone (ES256 or RS256), for JWT/OIDC and kubernetes-style logins.
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export const JwtAlgorithm = { ES256: 'ES256', RS256: 'RS256' } as const;
export type JwtAlgorithm = (typeof JwtAlgorithm)[keyof typeof JwtAlgorithm];

export interface JwtSigner {
  algorithm: JwtAlgorithm;
  /** Sent as the `kid` header. */
  keyId: string;
  /** SPKI PEM of the public key, as `jwt_validation_pubkeys` takes it. */
  publicKeyPem: string;
  /** Signs exactly the given claims; no defaults are added. */
  sign(claims: Record<string, unknown>): string;
}

/** A fresh key pair (EC P-256 for ES256, RSA 2048 for RS256) and a signer for it. */
export function createJwtSigner(algorithm: JwtAlgorithm = JwtAlgorithm.ES256): JwtSigner {
  const { privateKey, publicKey } =
    algorithm === JwtAlgorithm.ES256
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomBytes(8).toString('hex');
  return {
    algorithm,
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (claims) => signJwt(claims, privateKey, algorithm, keyId),
  };
}

/** A compact JWS: base64url(header).base64url(claims).base64url(signature). */
export function signJwt(claims: Record<string, unknown>, privateKey: KeyObject, algorithm: JwtAlgorithm, keyId?: string): string {
  const header = { alg: algorithm, typ: 'JWT', ...(keyId === undefined ? {} : { kid: keyId }) };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  // JWS wants ECDSA signatures as raw r||s (IEEE P1363), not node's default DER.
  const signature =
    algorithm === JwtAlgorithm.ES256
      ? sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(signingInput), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
