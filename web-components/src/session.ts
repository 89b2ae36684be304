// The logged-in user and token, kept in sessionStorage (gone when the tab closes) and shared
// by every ecourt element on the page; elements re-render through SessionController.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  courtId: string | null;
}

export interface Session {
  token: string;
  user: SessionUser;
}

const STORAGE_KEY = 'ecourt.session';
const CHANGE_EVENT = 'ecourt-session-change';

function readStoredSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token === 'string' && parsed.user && typeof parsed.user.id === 'string') return parsed as Session;
  } catch {
    // Corrupt or blocked storage means logged out.
  }
  return null;
}

let current: Session | null = readStoredSession();

export const currentSession = (): Session | null => current;

export function setSession(session: Session | null): void {
  current = session;
  try {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // The session then lasts only for this page.
  }
  window.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: session }));
}

export class SessionController implements ReactiveController {
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get session(): Session | null {
    return current;
  }

  /** The token an element works with: its `token` attribute when embedded in another site, else the portal's session. */
  effectiveToken(attribute: string): string | null {
    return attribute || current?.token || null;
  }

  hostConnected(): void {
    window.addEventListener(CHANGE_EVENT, this.onChange);
  }

  hostDisconnected(): void {
    window.removeEventListener(CHANGE_EVENT, this.onChange);
  }
}
