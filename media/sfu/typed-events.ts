// A minimal typed event emitter for the media tree: synchronous delivery, one listener's
// exception never stops the others (a hearing must not lose a participant to a UI handler bug).
export type Unsubscribe = () => void;

export class TypedEvents<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (error: unknown, event: string) => void = reportListenerError) {}

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        this.onListenerError(error, String(event));
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  clear(): void {
    this.listeners.clear();
  }
}

function reportListenerError(error: unknown, event: string): void {
  process.stderr.write(
    JSON.stringify({ at: new Date().toISOString(), level: 'error', message: 'media event listener failed', event, error: String(error) }) + '\n',
  );
}
