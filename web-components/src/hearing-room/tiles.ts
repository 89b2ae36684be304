// The video grid's tiles: one per other participant present in the room, with the m-lines that
// carry their audio and video in this browser's connection (from media.state). Pure.
import type { ForwardedParticipantState } from '../../../media/signalling/protocol.ts';
import type { RoomParticipant } from './controls.ts';

export interface RoomTile {
  participant: RoomParticipant;
  audioMid: string | null;
  videoMid: string | null;
  /** Muted by the judge: the hearing says so, or the media node already stopped forwarding. */
  muted: boolean;
  reconnecting: boolean;
}

/** The bench first, as in a courtroom: judge, clerk, then parties, lawyers, witnesses, observers. */
const ROLE_ORDER = ['judge', 'clerk', 'party', 'lawyer', 'witness', 'observer'];

const SHOWN: ReadonlySet<string> = new Set(['admitted', 'inRoom', 'reconnecting']);

export function roomTiles(participants: readonly RoomParticipant[], forwarded: readonly ForwardedParticipantState[], selfId: string | null): RoomTile[] {
  const media = new Map(forwarded.map((entry) => [entry.participantId, entry]));
  return participants
    .filter((participant) => participant.participantId !== selfId && SHOWN.has(participant.status))
    .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.displayName.localeCompare(b.displayName))
    .map((participant) => {
      const entry = media.get(participant.participantId);
      return {
        participant,
        audioMid: entry?.audioMid ?? null,
        videoMid: entry?.videoMid ?? null,
        muted: participant.muted || entry?.muted === true,
        reconnecting: participant.status === 'reconnecting',
      };
    });
}

/** The m-lines of each participant, for the connection-quality figures. */
export function midsByParticipant(tiles: readonly RoomTile[]): Map<string, string[]> {
  return new Map(tiles.map((tile) => [tile.participant.participantId, [tile.audioMid, tile.videoMid].filter((mid): mid is string => mid !== null)]));
}
