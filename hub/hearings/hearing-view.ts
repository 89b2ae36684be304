// What of a hearing's summary a viewer may see. The actor's summary is one for all; an identity alert
// (a re-check saw someone else, or no one, in a party's video) is for the judge and clerk who act on
// it, not for the other side, who would learn of a suspicion the court has not yet looked into.
import { isCourtStaff } from '../../platform/roles.ts';

interface WithParticipants {
  participants?: unknown;
}

/** The summary with every participant's identity alert blanked. */
export function withoutIdentityAlerts<T extends WithParticipants>(summary: T): T {
  if (!Array.isArray(summary.participants)) return summary;
  return {
    ...summary,
    participants: summary.participants.map((participant: unknown) =>
      participant !== null && typeof participant === 'object' && 'identityAlert' in participant ? { ...participant, identityAlert: null } : participant,
    ),
  };
}

/** The summary as an account of `role` may see it: identity alerts only for court staff. */
export const hearingSummaryFor = <T extends WithParticipants>(summary: T, role: string): T => (isCourtStaff(role) ? summary : withoutIdentityAlerts(summary));
