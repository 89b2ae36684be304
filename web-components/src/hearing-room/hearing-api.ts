// The hub's live-hearing routes as the hearing room calls them, with an explicit token (the room
// may be embedded with its own `token` attribute): GET …/live and POST …/commands.
import { ApiError, apiUrl } from '../api.ts';
import type { HearingCommand, HearingState, HearingSummary, ParticipantRole } from '../../../actors/hearing/hearing.protocol.ts';

export type LiveHearing = HearingSummary & { id: string; state: HearingState };

export interface LiveReply {
  hearing: LiveHearing;
  /** This account's seat in the hearing; null for someone who only watches (e.g. a court admin). */
  me: { participantId: string; role: ParticipantRole } | null;
  transcriptDoc: string;
}

/** A command as a browser sends it: the hub fills `by` from the session. */
export type ClientHearingCommand = HearingCommand extends infer C ? (C extends { by: unknown } ? Omit<C, 'by'> : never) : never;

export const livePath = (hearingId: string): string => `/api/v1/hearings/${encodeURIComponent(hearingId)}/live`;
export const commandsPath = (hearingId: string): string => `/api/v1/hearings/${encodeURIComponent(hearingId)}/commands`;

async function request<T>(apiBase: string, path: string, token: string, init: { method: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(apiBase, path), {
      method: init.method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText, payload?.error?.details);
  return payload as T;
}

export const fetchLive = (apiBase: string, hearingId: string, token: string, signal?: AbortSignal): Promise<LiveReply> =>
  request<LiveReply>(apiBase, livePath(hearingId), token, { method: 'GET', signal });

export const sendHearingCommand = (apiBase: string, hearingId: string, token: string, command: ClientHearingCommand): Promise<{ hearing: LiveHearing }> =>
  request<{ hearing: LiveHearing }>(apiBase, commandsPath(hearingId), token, { method: 'POST', body: { v: 1, command } });
