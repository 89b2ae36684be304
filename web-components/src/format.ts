// Display helpers shared by the elements: court-time dates, coded errors in the chosen language,
// navigation that an embedding site may take over, and ids for new hearings.
import type { ApiError } from './api.ts';
import { messages, translate, type Lang, type MessageKey } from './i18n.ts';

/** The court's time zone: deadlines and hearing times are Beijing time whatever the browser says. */
export const COURT_TIME_ZONE = 'Asia/Shanghai';

export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: COURT_TIME_ZONE, dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: COURT_TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** A coded error in the chosen language, followed by the server's own message when it adds something. */
export function errorText(lang: Lang, error: unknown, options: { withServerMessage?: boolean } = {}): string {
  const code = (error as Partial<ApiError>)?.code ?? 'INTERNAL';
  const key = `error.${code}`;
  const title = key in messages[lang] ? translate(lang, key as MessageKey) : translate(lang, 'error.INTERNAL');
  const serverMessage = (error as Partial<ApiError>)?.message;
  if (options.withServerMessage && serverMessage && code !== 'NETWORK' && code !== 'INTERNAL') return `${title}: ${serverMessage}`;
  return title;
}

/**
 * Asks the page to go to `href`: a cancelable, composed `ecourt-navigate` event lets an embedding
 * site route itself; if nobody cancels it, the browser follows the link.
 */
export function navigate(from: HTMLElement, href: string): void {
  const event = new CustomEvent('ecourt-navigate', { detail: { href }, bubbles: true, composed: true, cancelable: true });
  if (from.dispatchEvent(event)) window.location.assign(href);
}

/** Fills `{id}` in a link template such as '#/cases/{id}'. */
export const caseHref = (template: string, caseId: string): string => template.replace('{id}', encodeURIComponent(caseId));

export { newUuid } from '../../hub/collab/new-id.ts';
