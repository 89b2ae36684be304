// One fetch at a time for an element's data: a reload asked for while one runs makes it run once
// more afterwards (the change that prompted it is not lost), never two fetches side by side whose
// answers could land in the wrong order.

/** Wraps `run` so that calls never overlap; each call's promise settles when the data is current. */
export function singleFlight(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await run();
      } while (again);
    })().finally(() => (running = null));
    return running;
  };
}
