// A small HTTP client that behaves like a browser for redirect flows: it keeps cookies per origin
// and follows redirects hop by hop, so a test can stop at, rewrite or replay any hop.
export interface Hop {
  url: string;
  status: number;
  location: string | null;
  text: string;
}

export class CookieBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    cookies.set(name, value);
    this.jar.set(origin, cookies);
  }

  /** One request, no redirect followed; cookies stored. */
  async request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Hop> {
    const origin = new URL(url).origin;
    const cookies = this.jar.get(origin);
    const headers: Record<string, string> = { ...init.headers };
    if (cookies && cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(origin, line);
    const location = response.headers.get('location');
    return { url, status: response.status, location: location === null ? null : new URL(location, url).toString(), text: await response.text() };
  }

  /**
   * Follows redirects from `url`. Stops before requesting a URL for which `stopBefore` is true, at
   * a response that is not a redirect, or at a redirect into a fragment of `fragmentOrigin` (the portal).
   * `rewrite` may change each URL before it is requested (a tampering attacker).
   */
  async follow(
    url: string,
    options: { stopBefore?: (url: string) => boolean; rewrite?: (url: string) => string; maxHops?: number } = {},
  ): Promise<{ stoppedAt: string; last: Hop | null }> {
    let next = url;
    let last: Hop | null = null;
    for (let hop = 0; hop < (options.maxHops ?? 20); hop++) {
      next = options.rewrite ? options.rewrite(next) : next;
      if (options.stopBefore?.(next)) return { stoppedAt: next, last };
      last = await this.request(next);
      if (last.status < 300 || last.status >= 400 || !last.location) return { stoppedAt: next, last };
      // A redirect into a fragment route is where a browser hands over to the page's script.
      if (new URL(last.location).hash !== '') return { stoppedAt: last.location, last };
      next = last.location;
    }
    throw new Error(`more than ${options.maxHops ?? 20} redirects from ${url}`);
  }

  private store(origin: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    if (at <= 0) return;
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute)) || value === '';
    if (expired) cookies.delete(name);
    else cookies.set(name, value);
    this.jar.set(origin, cookies);
  }
}
