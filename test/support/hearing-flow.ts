// The steps of a hearing between the lobby opening and the first admission, as tests drive them over
// HTTP: the judge and a party pass the device check and declare their identity; the judge checks the
// party's identity by hand (the identity gate's manual path); the party waits and the judge is in the room. `command` sends one hearing command as a user.
export type SendHearingCommand = (as: string, command: Record<string, unknown>) => Promise<unknown>;

/** What the judge notes when checking a party by other means than a face check. */
export const MANUAL_CHECK_NOTE = '审判员当庭核对身份证原件，确认本人到庭。';

const PASSED_DEVICE_CHECK = { passed: true, camera: true, microphone: true, speaker: true, browserSupported: true, roundTripMs: 5, bandwidthKbps: 50_000 };

export async function bringToTheRoom(command: SendHearingCommand, seats: { judge: [string, string]; party: [string, string] }): Promise<void> {
  const [judge, judgeSeat] = seats.judge;
  const [party, partySeat] = seats.party;
  for (const [as, participantId] of [seats.judge, seats.party]) {
    await command(as, { type: 'DEVICE_CHECKED', participantId, result: PASSED_DEVICE_CHECK });
    await command(as, { type: 'DECLARE_IDENTITY', participantId, declaration: '本人确认身份属实。' });
  }
  await command(judge, { type: 'APPROVE_MANUAL_IDENTITY', participantId: partySeat, note: MANUAL_CHECK_NOTE });
  await command(party, { type: 'ENTER_WAITING', participantId: partySeat });
  await command(judge, { type: 'JOIN_ROOM', participantId: judgeSeat });
}
