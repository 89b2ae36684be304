// The chosen language, shared by every ecourt element on the page and remembered in
// localStorage; elements re-render through LocaleController when it changes.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LANGS, translate, type Lang, type MessageKey } from './i18n.ts';

const STORAGE_KEY = 'ecourt.lang';
const CHANGE_EVENT = 'ecourt-lang-change';

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LANGS as readonly string[]).includes(stored)) return stored as Lang;
  } catch {
    // Storage can be blocked (privacy mode, sandboxed iframe): Chinese is the court's default.
  }
  return 'zh';
}

let current: Lang = readStoredLang();

export const currentLang = (): Lang => current;

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but the page still switches.
  }
  window.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: lang }));
}

/** Re-renders its host when the language changes; `t()` translates in the current language. */
export class LocaleController implements ReactiveController {
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get lang(): Lang {
    return current;
  }

  t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(current, key, params);
  }

  hostConnected(): void {
    window.addEventListener(CHANGE_EVENT, this.onChange);
  }

  hostDisconnected(): void {
    window.removeEventListener(CHANGE_EVENT, this.onChange);
  }
}
