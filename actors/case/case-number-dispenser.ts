// Hands out case numbers to accepting case actors. A court's sequence is one hot database row,
// so many concurrent draws would each hold a pooled connection waiting for its lock (starving
// the journal's commits). Here each court has at most one reservation in flight, and everyone
// who asked meanwhile is served by the next one. A reservation leaves at the end of the turn it
// was first asked for, so a burst (e.g. the ACCEPTs of one command batch) shares ONE round trip
// instead of the first going alone and the rest waiting behind it for a second one.

/** Reserves `count` consecutive case numbers of a court (in order). */
export type ReserveCaseNumbers = (courtId: string, at: Date, count: number) => Promise<string[]>;
/** Draws one case number of a court. */
export type DrawCaseNumber = (courtId: string, at: Date) => Promise<string>;

interface Waiter {
  at: Date;
  resolve: (caseNumber: string) => void;
  reject: (error: unknown) => void;
}

export class CaseNumberReservationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseNumberReservationError';
  }
}

export function createCaseNumberDispenser(options: { reserve: ReserveCaseNumbers; maxBatch?: number }): DrawCaseNumber {
  const maxBatch = Math.max(1, options.maxBatch ?? 256);
  const queues = new Map<string, Waiter[]>();
  const busy = new Set<string>();

  const pump = async (courtId: string): Promise<void> => {
    try {
      for (let queue = queues.get(courtId); queue && queue.length > 0; queue = queues.get(courtId)) {
        const batch = queue.splice(0, maxBatch);
        try {
          // The latest instant of the batch decides the year: nobody gets a number dated before its request.
          const at = batch.reduce((latest, waiter) => (waiter.at > latest ? waiter.at : latest), batch[0]!.at);
          const numbers = await options.reserve(courtId, at, batch.length);
          batch.forEach((waiter, index) => {
            const caseNumber = numbers[index];
            if (caseNumber === undefined) waiter.reject(new CaseNumberReservationError(`reserved ${numbers.length} of ${batch.length} case numbers`));
            else waiter.resolve(caseNumber);
          });
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
    } finally {
      queues.delete(courtId);
      busy.delete(courtId);
    }
  };

  return (courtId, at) =>
    new Promise<string>((resolve, reject) => {
      const queue = queues.get(courtId);
      if (queue) queue.push({ at, resolve, reject });
      else queues.set(courtId, [{ at, resolve, reject }]);
      if (!busy.has(courtId)) {
        busy.add(courtId);
        queueMicrotask(() => void pump(courtId));
      }
    });
}
