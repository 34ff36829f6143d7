/**
 * PEM blocks found in text, re-encoded the way Go's `pem.EncodeToMemory` writes them (64-column
 * base64, a newline after the END line). consul-template's `pkiCert` hands templates re-encoded
 * blocks, so files rendered by Vault Agent and by us hold the same bytes.
 */

export interface PemBlock {
  /** e.g. `CERTIFICATE`, `EC PRIVATE KEY`, `PRIVATE KEY`. */
  type: string;
  der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/=]*$/;

/**
 * Every well-formed block in `text`, in order. Text between blocks is skipped; a block with
 * headers (`Proc-Type: …`) or bad base64 is skipped too (Go's decoder stops at it).
 */
export function parsePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const type = match[1] ?? '';
    const body = (match[2] ?? '').replace(/\s+/g, '');
    if (!BASE64.test(body) || body === '') continue;
    blocks.push({ type, der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

export function encodePem(block: PemBlock): string {
  const base64 = block.der.toString('base64');
  const lines: string[] = [];
  for (let start = 0; start < base64.length; start += 64) lines.push(base64.slice(start, start + 64));
  return `-----BEGIN ${block.type}-----\n${lines.join('\n')}\n-----END ${block.type}-----\n`;
}

export function isPrivateKeyBlock(block: PemBlock): boolean {
  // PKCS#1 (`RSA PRIVATE KEY`), SEC 1 (`EC PRIVATE KEY`) and PKCS#8 (`PRIVATE KEY`), as upstream.
  return block.type.endsWith('PRIVATE KEY');
}
