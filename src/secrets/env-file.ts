// The format of a secret file, `<DSR_SECRETS>/<name>.env` (SPEC §8). Pure. One variable per
// line: `KEY=value`, optionally preceded by `export `; blank lines and lines starting with `#`
// are skipped; a value wrapped in matching single or double quotes loses them (nothing inside is
// interpreted: no escapes, no `$VAR` expansion, so what is written is what the container gets).
// A bad line is an error naming file:line and the problem, never the line's text: the value
// would otherwise reach events, status and logs.

/** A secret file that cannot be used; the message names the file and line, never a value. */
export class SecretFileError extends Error {}

const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** The variables of one secret file, in file order (a repeated key: the last one wins). */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const body = line.startsWith('export ') ? line.slice('export '.length).trimStart() : line;
    const eq = body.indexOf('=');
    if (eq < 0) throw new SecretFileError(`${where}: not a KEY=value line (no "="); write KEY=value, or start a comment with #`);
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key)) throw new SecretFileError(`${where}: the name before "=" is not a valid environment variable name: use letters, digits and "_", not starting with a digit`);
    env[key] = unquote(body.slice(eq + 1).trim(), where);
  });
  return env;
}

function unquote(value: string, where: string): string {
  const first = value[0];
  if (first !== '"' && first !== "'") return value;
  if (value.length < 2 || value[value.length - 1] !== first) {
    throw new SecretFileError(`${where}: the value opens a ${first === '"' ? 'double' : 'single'} quote it does not close at the end of the line (values are one line)`);
  }
  return value.slice(1, -1);
}
