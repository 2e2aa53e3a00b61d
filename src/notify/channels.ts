// The configured channels as Notifiers, in the order alerts go out.
import type { NotifyConfig } from './config.js';
import { EmailNotifier } from './email-notifier.js';
import type { Notifier } from './notifier.js';
import { WebhookNotifier } from './webhook-notifier.js';
import { ChatNotifier } from './chat-notifier.js';

/** One Notifier per channel that `config` turns on; empty when alerts are off. */
export function createNotifiers(config: NotifyConfig, dsrVersion: string): Notifier[] {
  const notifiers: Notifier[] = [];
  if (config.email) notifiers.push(new EmailNotifier(config.email));
  if (config.webhook) notifiers.push(new WebhookNotifier(config.webhook, dsrVersion));
  for (const chat of config.chat) notifiers.push(new ChatNotifier(chat, dsrVersion));
  return notifiers;
}
