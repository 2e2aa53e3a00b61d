// The secrets folder (`DSR_SECRETS`, default `<data>/secrets/`): the one place that reads secret
// files. The controller resolves a service's secret names to digests every pass (a missing or
// bad file holds that service); the runtime reads the values only when it creates a container.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretFileError, parseEnvFile } from './env-file.js';
import { digestKey, secretDigest } from './digest.js';

/** Why a secret cannot be used: the event kind, the file to fix and what to do (never a value). */
export interface SecretProblem {
  kind: 'secret.missing' | 'secret.unreadable' | 'secret.invalid';
  name: string;
  path: string;
  message: string;
}

/** Every secret resolved (name → digest), or the problems that hold the service. */
export type SecretResolution = { ok: true; digests: Record<string, string> } | { ok: false; problems: SecretProblem[] };

/** What a runtime needs at container creation: the variables of the named secrets. */
export interface SecretReader {
  /** The variables of `names`, merged in list order (a later file wins a repeated key). Throws what to fix. */
  read(names: readonly string[]): Promise<Record<string, string>>;
}

/** `DSR_SECRETS`, else `<data>/secrets`. */
export function secretsDir(env: NodeJS.ProcessEnv, dataDir: string): string {
  return env['DSR_SECRETS'] || join(dataDir, 'secrets');
}

export class SecretFolder implements SecretReader {
  constructor(readonly dir: string) {}

  pathOf(name: string): string {
    return join(this.dir, `${name}.env`);
  }

  /** Digests of `names`' files, or every problem found (one per file). */
  async resolve(names: readonly string[]): Promise<SecretResolution> {
    if (names.length === 0) return { ok: true, digests: {} };
    const problems: SecretProblem[] = [];
    const contents = new Map<string, Buffer>();
    for (const name of names) {
      const got = await this.load(name);
      if ('problem' in got) problems.push(got.problem);
      else contents.set(name, got.content);
    }
    if (problems.length > 0) return { ok: false, problems };
    const key = await digestKey(this.dir);
    return { ok: true, digests: Object.fromEntries([...contents].map(([name, content]) => [name, secretDigest(key, content)])) };
  }

  async read(names: readonly string[]): Promise<Record<string, string>> {
    const env: Record<string, string> = {};
    for (const name of names) {
      const got = await this.load(name);
      if ('problem' in got) throw new SecretFileError(got.problem.message);
      Object.assign(env, parseEnvFile(got.content.toString('utf8'), this.pathOf(name)));
    }
    return env;
  }

  private async load(name: string): Promise<{ content: Buffer } | { problem: SecretProblem }> {
    const path = this.pathOf(name);
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { problem: { kind: 'secret.missing', name, path, message: `secret "${name}" is missing: create ${path} with KEY=value lines` } };
      return { problem: { kind: 'secret.unreadable', name, path, message: `secret "${name}" cannot be read (${code ?? 'error'}): let DSR read ${path}` } };
    }
    try {
      parseEnvFile(content.toString('utf8'), path);
    } catch (error) {
      if (!(error instanceof SecretFileError)) throw error;
      return { problem: { kind: 'secret.invalid', name, path, message: `secret "${name}" is invalid: ${error.message}` } };
    }
    return { content };
  }
}
