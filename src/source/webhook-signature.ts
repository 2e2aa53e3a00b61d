// Whether a forge's push webhook is genuine (SPEC §10), by the header each forge signs with.
// Pure: the route (src/api/webhook.ts) passes the raw body and headers.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Which forge's scheme verified the call. */
export type WebhookScheme = 'github' | 'gitea' | 'gitlab';

/** The verdict: the scheme that matched, or why the call is refused (never echoing a secret). */
export type WebhookVerdict = { ok: true; scheme: WebhookScheme } | { ok: false; reason: string };

/** Equal in time independent of where the inputs differ; hashing first also hides the lengths. */
function sameSecret(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

const hmacHex = (secret: string, body: Buffer): string => createHmac('sha256', secret).update(body).digest('hex');

/**
 * Verifies a webhook call. GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`;
 * Gitea/Forgejo: `X-Gitea-Signature` (or `X-Forgejo-Signature`): `<hex HMAC-SHA256>`; GitLab:
 * `X-Gitlab-Token: <the secret itself>`. The first of these headers present decides; a call
 * carrying none is refused.
 */
export function verifyWebhook(secret: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: Buffer): WebhookVerdict {
  const header = (name: string): string | null => {
    const v = headers[name];
    return typeof v === 'string' ? v.trim() : null;
  };
  const github = header('x-hub-signature-256');
  if (github !== null) {
    const match = /^sha256=([0-9a-f]{64})$/i.exec(github);
    return match && sameSecret(match[1]!.toLowerCase(), hmacHex(secret, body)) ? { ok: true, scheme: 'github' } : { ok: false, reason: 'X-Hub-Signature-256 does not match the body signed with DSR_WEBHOOK_SECRET' };
  }
  const gitea = header('x-gitea-signature') ?? header('x-forgejo-signature');
  if (gitea !== null) {
    return /^[0-9a-f]{64}$/i.test(gitea) && sameSecret(gitea.toLowerCase(), hmacHex(secret, body)) ? { ok: true, scheme: 'gitea' } : { ok: false, reason: 'X-Gitea-Signature does not match the body signed with DSR_WEBHOOK_SECRET' };
  }
  const gitlab = header('x-gitlab-token');
  if (gitlab !== null) return sameSecret(gitlab, secret) ? { ok: true, scheme: 'gitlab' } : { ok: false, reason: 'X-Gitlab-Token is not DSR_WEBHOOK_SECRET' };
  return { ok: false, reason: 'no signature: configure the forge\'s webhook with DSR_WEBHOOK_SECRET (GitHub X-Hub-Signature-256, Gitea/Forgejo X-Gitea-Signature, GitLab X-Gitlab-Token)' };
}
