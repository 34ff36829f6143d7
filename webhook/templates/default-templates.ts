/**
 * vault-k8s's two default templates, used for a secret that has a Vault path but no template.
 * The text is the same consul-template (Go) template vault-k8s generates, so the agent renders
 * byte-identical files.
 */

/** A Go interpreted string literal for `text` (JSON string syntax is a subset Go accepts). */
function goString(text: string): string {
  return JSON.stringify(text);
}

export function defaultTemplateContents(format: 'map' | 'json', vaultPath: string): string {
  const secret = `{{ with secret ${goString(vaultPath)} }}`;
  return format === 'json'
    ? `${secret}{{ .Data | toJSON }}\n{{ end }}`
    : `${secret}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}`;
}
