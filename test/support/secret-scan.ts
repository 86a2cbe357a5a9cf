/**
 * Looks for secrets in text a test captured (logs, Slack calls, audit records, error messages):
 * each secret as given, its first 12 characters, its base64 and base64url forms and its URL
 * encoding; for key material also each base64 line of the key body. A hit names the secret and
 * the source, never the matched text, so a failing test does not print the secret in CI logs.
 */
export interface SecretNeedle {
  /** Which secret, and which form of it: `bot token (base64)`. */
  label: string;
  text: string;
}

export function needlesFor(name: string, secret: string): SecretNeedle[] {
  const forms: Array<[string, string]> = [
    ['as is', secret],
    ['first 12 chars', secret.slice(0, 12)],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['url-encoded', encodeURIComponent(secret)],
  ];
  return forms
    .filter(([, text]) => text.length >= 8)
    .map(([form, text]) => ({ label: `${name} (${form})`, text }));
}

/** A PEM/OpenSSH private key: the whole text, its encodings, and every line of its base64 body. */
export function keyNeedles(name: string, pem: string): SecretNeedle[] {
  const body = pem
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
  return [
    ...needlesFor(name, pem.trim()).filter((n) => !n.label.endsWith('(first 12 chars)')),
    ...body.flatMap((line, i) => needlesFor(`${name} body line ${i + 1}`, line)),
  ];
}

/** Every (source, secret) pair where a needle occurs in a captured text. */
export function findSecrets(
  haystacks: Record<string, string>,
  needles: readonly SecretNeedle[],
): Array<{ source: string; secret: string }> {
  const hits: Array<{ source: string; secret: string }> = [];
  for (const [source, text] of Object.entries(haystacks))
    for (const n of needles) if (text.includes(n.text)) hits.push({ source, secret: n.label });
  return hits;
}

/** An error as text: message, stack, enumerable fields and its causes (what a logger would print). */
export function errorText(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 5) return String(error);
  let fields = '';
  try {
    fields = JSON.stringify({ ...error });
  } catch {
    fields = '[unserializable fields]';
  }
  return [
    error.message,
    error.stack ?? '',
    fields,
    error.cause ? errorText(error.cause, depth + 1) : '',
  ].join('\n');
}
