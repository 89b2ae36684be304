// The media benchmark's SFU: one hearing router in its own process (so /proc shows its CPU and RSS
// alone), driven over the IPC channel with the same signalling messages the hub's /rt channel carries.
import { HearingRouter } from '../../media/sfu/hearing-router.ts';
import type { ServerSignal } from '../../media/signalling/protocol.ts';

type Command =
  | { type: 'signal'; participantId: string; message: unknown }
  | { type: 'admit'; participantIds: string[] }
  | { type: 'stats' }
  | { type: 'close' };

const hearingId = process.argv[2] ?? 'bench-hearing';
const router = new HearingRouter({ hearingId, loopbackOnly: true, connectTimeoutMs: 60_000 });
const reply = (message: unknown) => process.send?.(message);

process.on('message', (command: Command) => {
  switch (command.type) {
    case 'signal':
      void router.handleSignal(command.participantId, command.message, (message: ServerSignal) =>
        reply({ type: 'signal', participantId: command.participantId, message }),
      );
      return;
    case 'admit':
      for (const id of command.participantIds) router.admit(id);
      return;
    case 'stats': {
      let forwardedPackets = 0;
      for (const id of router.participantIds) {
        for (const slot of router.transportOf(id)?.forwarded.values() ?? []) forwardedPackets += slot.packetsForwarded;
      }
      reply({ type: 'stats', forwardedPackets });
      return;
    }
    case 'close':
      void router.close().then(() => process.exit(0));
      return;
  }
});
process.on('disconnect', () => void router.close().then(() => process.exit(0)));
reply({ type: 'ready' });
