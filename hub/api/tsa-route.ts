// The court's time-stamping authority over HTTP (RFC 3161 §3.4): POST a DER TimeStampReq as
// application/timestamp-query, get a DER TimeStampResp as application/timestamp-reply. Public like
// any TSA (it only signs a hash and the time), so rate limited per address.
import { openCourtCa } from '../../documents/ca/open-court-ca.ts';
import { CourtTsa } from '../../documents/tsa/court-tsa.ts';
import { publicAccess } from '../auth/access.ts';
import { paths } from '../http/paths.ts';
import { defineRoute, RawReply, rawBodySchema, rawReplySchema, type AnyRoute } from '../http/route.ts';
import { PhoneCodeAddressLimit } from './registration-rate-limit.ts';

/** A TimeStampReq is ~60–120 bytes (a SHA-512 imprint, a nonce, a policy); anything far larger is not one. */
export const MAX_TIMESTAMP_QUERY_BYTES = 4096;
/** Timestamps per client address per hour: enough for a signing service, a brake on using the hub as a free signer. */
export const TIMESTAMPS_PER_ADDRESS_HOUR = 3600;

/** One route per hub, with its own TSA (its signer cached a minute) and its own per-address budget. */
export function tsaRoutes(): AnyRoute[] {
  const addressLimit = new PhoneCodeAddressLimit(TIMESTAMPS_PER_ADDRESS_HOUR, 3600_000, 50_000, Date.now, 'Too many timestamp requests from this address; try again later');
  let tsa: CourtTsa | undefined;
  const timestamp = defineRoute({
    method: 'post',
    path: paths.tsa,
    operationId: 'timestamp',
    summary: "The court's RFC 3161 time-stamping authority (public): body a DER TimeStampReq (application/timestamp-query), answer a DER TimeStampResp (application/timestamp-reply); a malformed or unsupported request gets a rejection TimeStampResp, as RFC 3161 asks",
    tags: ['documents'],
    access: publicAccess,
    body: rawBodySchema,
    rawBody: { mediaTypes: ['application/timestamp-query'], limitBytes: () => MAX_TIMESTAMP_QUERY_BYTES },
    response: rawReplySchema,
    rawResponse: { mediaTypes: ['application/timestamp-reply'] },
    errors: ['RATE_LIMITED', 'CA_NOT_INITIALISED'],
    async handle({ body, request, services }) {
      addressLimit.take(request.address);
      tsa ??= new CourtTsa(openCourtCa(services.config));
      return new RawReply(200, { 'content-type': 'application/timestamp-reply', 'cache-control': 'no-store' }, tsa.respond(body.bytes));
    },
  });
  return [timestamp];
}
