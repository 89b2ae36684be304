// Sending the registration code by SMS. A court plugs in its SMS gateway as an SmsSender; the
// embedded (demo) node has none, so its sender writes the code to the server log (the phone
// masked) and to a demo inbox the portal can read. Only embedded nodes get that sender.
import { maskIdentifier } from '../personal-data.ts';
import type { Logger } from '../logger.ts';

export interface SmsSender {
  readonly name: string;
  sendCode(phone: string, code: string, expiresAt: Date): Promise<void>;
}

export interface DemoInboxMessage {
  code: string;
  sentAt: string;
  expiresAt: string;
}

export interface DemoInbox {
  /** Unexpired messages to the phone, newest first. */
  read(phone: string, now?: Date): DemoInboxMessage[];
}

/** Enough for any demo; older phones are forgotten first so memory stays bounded. */
const INBOX_MAX_PHONES = 1000;

export function createEmbeddedSms(logger: Logger): { sender: SmsSender; inbox: DemoInbox } {
  const messages = new Map<string, DemoInboxMessage[]>();
  const live = (phone: string, now: Date) => (messages.get(phone) ?? []).filter((m) => Date.parse(m.expiresAt) > now.getTime());
  return {
    sender: {
      name: 'embedded',
      async sendCode(phone, code, expiresAt) {
        const now = new Date();
        const list = [{ code, sentAt: now.toISOString(), expiresAt: expiresAt.toISOString() }, ...live(phone, now)];
        messages.delete(phone);
        messages.set(phone, list);
        if (messages.size > INBOX_MAX_PHONES) messages.delete(messages.keys().next().value!);
        // The code in clear is the point of the embedded sender (no SMS gateway); the phone is masked.
        logger.info('registration code (embedded SMS)', { to: maskIdentifier(phone), code, expiresAt: expiresAt.toISOString() });
      },
    },
    inbox: { read: (phone, now = new Date()) => live(phone, now) },
  };
}
