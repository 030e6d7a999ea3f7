// Signed identity on request-reply. Every request a service sends carries a short-lived token, a JWT (EdDSA,
// signed with the sender's identity key, see service-identity.ts) that says who sends it (`iss`, a service), for
// whom (`sub`: `service:<name>` when the service acts as itself, `org:<id>` when the gateway acts for an
// organisation whose API key it checked, with the organisation's kind and clearance), to which service (`aud`),
// on which subject (`rpc`), and over which bytes (`ph`, SHA-256 of the payload). The receiver checks all of it,
// and remembers each token id until it expires, so a token cannot be replayed, moved to another request or
// another service, or outlive `exp`. Tokens use the wall clock, not a service's domain clock: they are checked
// across processes, and a test clock moved forward in one of them must not expire its calls.
import { createHash, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ServiceDirectory, ServiceIdentity } from './service-identity';

export const CALLER_TOKEN_HEADER = 'Vantage-Caller';
const TOKEN_TYPE = 'vantage-call+jwt';
/** How long a token is good for: a request is answered in seconds, and the RPC timeout is at most two minutes. */
export const CALLER_TOKEN_TTL_MS = 30_000;
/** Clocks of two machines may differ this much. */
const CLOCK_TOLERANCE_S = 5;

export interface ActingOrganisation {
  id: string;
  kind: string;
  clearance?: string;
  keyId?: string;
}

export interface VerifiedCaller {
  /** The service that sent the request (verified by its signature). */
  service: string;
  /** The organisation it acts for, when the sender is the gateway acting for one. */
  organisation?: ActingOrganisation;
}

export class CallerTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallerTokenError';
  }
}

export function payloadHash(payload: Uint8Array): string {
  return createHash('sha256').update(payload).digest('base64url');
}

export async function signCallerToken(
  identity: ServiceIdentity,
  request: { audience: string; subject: string; payload: Uint8Array; organisation?: ActingOrganisation },
  opts: { now?: number; ttlMs?: number } = {},
): Promise<string> {
  const now = opts.now ?? Date.now();
  const org = request.organisation;
  return new SignJWT({
    rpc: request.subject,
    ph: payloadHash(request.payload),
    ...(org ? { org: { kind: org.kind, ...(org.clearance ? { clearance: org.clearance } : {}), ...(org.keyId ? { keyId: org.keyId } : {}) } } : {}),
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE, kid: identity.name })
    .setIssuer(identity.name)
    .setSubject(org ? `org:${org.id}` : `service:${identity.name}`)
    .setAudience(request.audience)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor((now + (opts.ttlMs ?? CALLER_TOKEN_TTL_MS)) / 1000))
    .setJti(randomUUID())
    .sign(identity.signingKey);
}

/**
 * Remembers the ids of tokens already used until they expire, so a captured request cannot be sent again. Per
 * process: a replay that reaches another replica of the same service within the token's 30 s is not caught here;
 * reaching one needs the bus rights of the gateway and a copy of the request, which NATS permissions and TLS keep
 * from anyone else.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 200_000) {}

  /** False when the id was seen before (a replay). */
  claim(jti: string, expiresAtMs: number, nowMs: number): boolean {
    if (this.seen.has(jti)) return false;
    if (this.seen.size >= this.maxEntries) this.prune(nowMs);
    // Still full of live ids: refuse rather than forget one that could then be replayed.
    if (this.seen.size >= this.maxEntries) return false;
    this.seen.set(jti, expiresAtMs);
    return true;
  }

  prune(nowMs: number): void {
    // Entries go in with the same lifetime, so they are (nearly) in expiry order.
    for (const [jti, exp] of this.seen) {
      if (exp + CLOCK_TOLERANCE_S * 1000 > nowMs) break;
      this.seen.delete(jti);
    }
  }
}

export async function verifyCallerToken(
  directory: ServiceDirectory,
  token: string | undefined,
  expected: { audience: string; subject: string; payload: Uint8Array },
  guard: ReplayGuard,
  opts: { now?: number } = {},
): Promise<VerifiedCaller> {
  if (!token) throw new CallerTokenError('the request carries no signed caller');
  const now = opts.now ?? Date.now();
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new CallerTokenError('the caller token is not a JWT');
  }
  const key = kid ? directory.signingKeyOf(kid) : undefined;
  if (!kid || !key) throw new CallerTokenError(`the caller token is signed by ${kid ? `"${kid}", which is not a known service` : 'no named service'}`);
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['EdDSA'],
      typ: TOKEN_TYPE,
      issuer: kid,
      audience: expected.audience,
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['iat', 'exp', 'jti', 'sub'],
    }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new CallerTokenError('the caller token has expired');
    if (e instanceof joseErrors.JWTClaimValidationFailed) throw new CallerTokenError(`the caller token's ${e.claim} does not fit this request`);
    throw new CallerTokenError('the caller token does not verify');
  }
  if (payload.rpc !== expected.subject) throw new CallerTokenError('the caller token was made for another subject');
  if (payload.ph !== payloadHash(expected.payload)) throw new CallerTokenError('the caller token was made for another request body');
  if ((payload.exp as number) * 1000 - (payload.iat as number) * 1000 > 5 * 60_000) throw new CallerTokenError('the caller token lives too long');
  if (!guard.claim(payload.jti as string, (payload.exp as number) * 1000, now)) throw new CallerTokenError('the caller token was already used');
  const sub = payload.sub as string;
  if (sub === `service:${kid}`) return { service: kid };
  const org = /^org:([A-Za-z0-9_-]{1,64})$/.exec(sub);
  const claims = payload.org as { kind?: unknown; clearance?: unknown; keyId?: unknown } | undefined;
  if (!org || typeof claims?.kind !== 'string') throw new CallerTokenError('the caller token names no service or organisation it may act as');
  return {
    service: kid,
    organisation: {
      id: org[1],
      kind: claims.kind,
      ...(typeof claims.clearance === 'string' ? { clearance: claims.clearance } : {}),
      ...(typeof claims.keyId === 'string' ? { keyId: claims.keyId } : {}),
    },
  };
}
