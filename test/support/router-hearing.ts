// Participants joined straight to one HearingRouter (no hub, no signalling socket): for tests of what
// the router does with media — taps, recordings, key-frame grabs.
import { expect, vi } from 'vitest';
import type { HearingRouter } from '../../media/sfu/hearing-router.ts';
import { MediaTestClient } from './media-client.ts';

/**
 * Joins a werift client per id, admits `admit`, and waits until every client is connected and every
 * transport publishes audio and video. The clients go into `clients` before joining, so the test's
 * clean-up closes them even when joining fails.
 */
export async function joinRouter(
  router: HearingRouter,
  ids: string[],
  admit: string[],
  clients: MediaTestClient[],
  wait: { timeout: number; interval: number },
): Promise<MediaTestClient[]> {
  const joined = ids.map((id) => new MediaTestClient(router, id));
  clients.push(...joined);
  for (const client of joined) await client.join();
  for (const id of admit) router.admit(id);
  await vi.waitFor(() => {
    for (const client of joined) expect(client.connected).toBe(true);
    for (const id of ids) expect(router.transportOf(id)!.published.size).toBe(2);
  }, wait);
  return joined;
}
