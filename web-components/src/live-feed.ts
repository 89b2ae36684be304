// An element's share of the page's /rt socket (realtime.ts), held for what it shows to the signed-in
// user: started on login, restarted when the token or the shown thing (a case) changes, released on
// logout and when the element leaves the page. Its status drives the element's "live" badge.
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { acquireRealtime, type FilingFollow, type RealtimeClient, type RealtimeStatus } from './realtime.ts';
import { currentSession } from './session.ts';

export interface LiveFeedOptions {
  apiBase: () => string;
  /** The session's token and what the element shows (a case id …); null: nothing to follow. Default: the signed-in session. */
  target?: () => { token: string; key?: string } | null;
  /** Subscribes and listens on the page's client; returns the undos (the element's timers may go there too). */
  listen: (client: RealtimeClient) => (() => void)[];
  /** After every change of target, also to none: clear what the old one showed and fetch again when live. */
  restarted: (live: boolean) => void;
  /**
   * A filing follow (the court's queue, one's inbox), made here; the feed counts as open only once
   * the hub has confirmed it, so "live" is shown only when its events really arrive.
   */
  follow?: FilingFollow;
}

export class LiveFeed implements ReactiveController {
  private held: { key: string; client: RealtimeClient; release: () => void; undo: (() => void)[] } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: LiveFeedOptions,
  ) {
    host.addController(this);
  }

  /** 'off' while nothing is followed (logged out). */
  get status(): RealtimeStatus | 'off' {
    if (!this.held) return 'off';
    const { client } = this.held;
    const { follow } = this.options;
    return client.status === 'open' && follow && !client.isFollowing(follow) ? 'connecting' : client.status;
  }

  /** The client while following, to subscribe more (a litigant's cases) or send. */
  get client(): RealtimeClient | null {
    return this.held?.client ?? null;
  }

  hostConnected(): void {
    // Re-attached after a move: the next update starts the feed again.
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.stop();
  }

  hostUpdate(): void {
    if (!this.host.isConnected) return;
    const target = this.options.target ? this.options.target() : sessionTarget();
    const key = target ? `${target.token}|${target.key ?? ''}` : null;
    if (key === (this.held?.key ?? null)) return;
    this.stop();
    if (target && key !== null) {
      const { client, release } = acquireRealtime(this.options.apiBase(), target.token);
      const undo = [
        client.onStatus(() => this.host.requestUpdate()),
        client.onMessage((message) => {
          if (message.type === 'following') this.host.requestUpdate();
        }),
      ];
      if (this.options.follow) undo.push(client.subscribe({ follow: this.options.follow }));
      this.held = { key, client, release, undo };
      undo.push(...this.options.listen(client));
    }
    this.options.restarted(target !== null);
  }

  private stop(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    for (const undo of held.undo.splice(0)) undo();
    held.release();
    this.host.requestUpdate();
  }
}

function sessionTarget(): { token: string; key?: string } | null {
  const token = currentSession()?.token;
  return token ? { token } : null;
}

/** The heading row with the live badge: a green dot while live, grey while connecting or closed. */
export const liveFeedStyles = css`
  .head { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
  .live::before { content: '●'; margin-right: 0.3rem; color: var(--ecourt-ok); }
  .live.connecting::before, .live.closed::before { color: var(--ecourt-muted); }
`;

/** The badge saying whether changes arrive live (`data-status` is the feed's status); nothing while off. */
export function liveBadge(status: RealtimeStatus | 'off', testId: string, texts: { open: string; otherwise: string }) {
  if (status === 'off') return nothing;
  return html`<span class="live muted ${status}" data-testid=${testId} data-status=${status}>${status === 'open' ? texts.open : texts.otherwise}</span>`;
}
