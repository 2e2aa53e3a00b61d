// The bodies chat services expect from an incoming webhook, built from an Alert. Pure: the
// notifier (chat-notifier.ts) only posts what these return.
import type { Alert, Severity } from './alert.js';

/** The chat services DSR can post to. */
export type ChatKind = 'slack' | 'discord' | 'ntfy';

/** One HTTP request to make: headers and body. */
export interface ChatRequest {
  headers: Record<string, string>;
  body: string;
}

/** Slack and Discord cap a message (40,000 and 2,000 characters); we stay well under both. */
const DISCORD_MAX = 1900;
const SLACK_MAX = 3500;

const EMOJI: Record<Severity, string> = { critical: '🔴', error: '🟠', warning: '🟡', info: '🟢' };
/** ntfy priorities: 5 = urgent, 4 = high, 3 = default, 2 = low. */
const NTFY_PRIORITY: Record<Severity, string> = { critical: '5', error: '4', warning: '4', info: '2' };

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** HTTP header values must be Latin-1 without line breaks; ntfy reads the title from one. */
function headerSafe(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * The request for `kind`.
 * Example (slack): `{ text: "🟡 *web/v2: rollout aborted (…)*\n```All traffic is back on v1…```" }`;
 * discord the same under `content`; ntfy the plain text with Title, Priority and Tags headers.
 */
export function chatRequest(kind: ChatKind, alert: Alert): ChatRequest {
  const json = { 'content-type': 'application/json' };
  if (kind === 'slack') {
    // Slack's mrkdwn: *bold*; the body in a code block keeps its line layout.
    return { headers: json, body: JSON.stringify({ text: `${EMOJI[alert.severity]} *${alert.subject}*\n\`\`\`${cut(alert.text, SLACK_MAX)}\`\`\`` }) };
  }
  if (kind === 'discord') {
    const head = `${EMOJI[alert.severity]} **${alert.subject}**\n`;
    // allowed_mentions: a service name like "@everyone" must never ping a whole server.
    return {
      headers: json,
      body: JSON.stringify({ content: head + '```\n' + cut(alert.text, DISCORD_MAX - head.length - 8) + '\n```', allowed_mentions: { parse: [] } }),
    };
  }
  return {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      title: headerSafe(alert.subject),
      priority: NTFY_PRIORITY[alert.severity],
      tags: ['dsr', alert.type, alert.severity === 'info' ? 'white_check_mark' : 'warning'].join(','),
    },
    body: alert.text,
  };
}
