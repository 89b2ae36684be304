// Every NATS subject and KV name of the cross-node document relay is built here, under the
// platform's namespace (ECOURT_NATS_NAMESPACE). A document name ("cases/<id>/hearings/<id>/transcript")
// holds "/" and may one day hold other characters subjects and KV keys refuse, so it travels as
// base64url: one safe token, the same in subjects and lease keys.

/** The JetStream KV bucket of document owner leases (suffixed with the namespace). */
export const DOC_LEASE_BUCKET = 'ecourt_doc_leases';

export const docLeaseBucket = (namespace: string): string => `${DOC_LEASE_BUCKET}_${namespace}`;

/** The key of a document's owner lease, and the token naming it in subjects. */
export const docToken = (docName: string): string => Buffer.from(docName, 'utf8').toString('base64url');

export function relaySubjects(namespace: string, docName: string) {
  const base = `${namespace}.collab.${docToken(docName)}`;
  return {
    /** Request to the owner: a relay's state vector → the owner's diff and state vector. */
    sync: `${base}.sync`,
    /** Request to the owner: an update a relay accepted; answered once the owner persisted it. */
    append: `${base}.append`,
    /** The owner publishes every update applied to the document. */
    updates: `${base}.updates`,
    /** Every node publishes its own sessions' awareness changes (and queries for the others'). */
    awareness: `${base}.awareness`,
  } as const;
}

export type RelaySubjects = ReturnType<typeof relaySubjects>;
