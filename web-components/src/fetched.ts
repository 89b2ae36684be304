// How an element shows what it fetched, the same markup (and test ids) everywhere: a failure as a
// coded alert in the reader's language, and a list as "loading…", "nothing here" or its rows.
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { errorText } from './format.ts';
import type { Lang } from './i18n.ts';

/** Nothing without a failure; else its alert. `withServerMessage` adds the hub's own words (for refusals the user can act on). */
export function failureAlert(lang: Lang, failure: unknown, options: { testId?: string; withServerMessage?: boolean } = {}) {
  if (!failure) return nothing;
  return html`<div class="error" role="alert" data-testid=${ifDefined(options.testId)}>${errorText(lang, failure, { withServerMessage: options.withServerMessage })}</div>`;
}

/** `items` null while the first fetch is under way. */
export function fetchedList<T>(items: readonly T[] | null, texts: { loading: string; empty: string; emptyTestId: string }, rows: (items: readonly T[]) => unknown) {
  if (items === null) return html`<p class="muted">${texts.loading}</p>`;
  if (items.length === 0) return html`<p class="muted" data-testid=${texts.emptyTestId}>${texts.empty}</p>`;
  return rows(items);
}
