// Each service's own identity, and the directory of every service's public keys.
//
// A service has one secret, a 32-byte seed (VANTAGE_IDENTITY_KEY). From it come an Ed25519 key, which signs the
// requests it sends (and, for the gateway, the organisation it acts for), and an X25519 key, to which other services
// seal secrets meant for it alone (HPKE, RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, from
// @hpke/core). The directory (VANTAGE_SERVICE_KEYS) lists each service's two public keys: it is all another service
// needs to verify a request from it or to seal to it, and it holds nothing secret.
import { createPrivateKey, createPublicKey, KeyObject, randomBytes } from 'node:crypto';
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';

export class ServiceKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceKeyError';
  }
}

const SEALED_VERSION = 'h1';
/** PKCS#8 DER of an Ed25519 private key is this prefix followed by the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const NAME = /^[a-z][a-z0-9-]{0,62}$/;

type KeyPair = Awaited<ReturnType<CipherSuite['kem']['deriveKeyPair']>>;

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });

const b64u = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('base64url');

function fromB64u(value: string, bytes: number, what: string): Buffer {
  const buf = Buffer.from(value, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(value) || buf.length !== bytes) throw new ServiceKeyError(`${what} must be ${bytes} bytes, base64url-encoded`);
  return buf;
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** A new identity seed for a service (`npm run admin -- new-service-keys` makes one per service). */
export function newIdentitySeed(): string {
  return randomBytes(32).toString('base64url');
}

export class ServiceIdentity {
  private constructor(
    /** The service's name, as others know it (`intake`, `benchmark-runner`, …). */
    readonly name: string,
    readonly signingKey: KeyObject,
    readonly signingPublicKey: Buffer,
    private readonly sealing: KeyPair,
    readonly sealingPublicKey: Buffer,
  ) {}

  static async fromSeed(name: string, seed: string): Promise<ServiceIdentity> {
    if (!NAME.test(name)) throw new ServiceKeyError(`service name "${name}" is not a plain name`);
    const raw = fromB64u(seed.trim(), 32, 'VANTAGE_IDENTITY_KEY');
    const signingKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
    const signingPublicKey = createPublicKey(signingKey).export({ format: 'der', type: 'spki' }).subarray(-32);
    // The KEM's own derivation (LabeledExtract with its suite id) keeps this key apart from the Ed25519 one.
    const sealing = await suite.kem.deriveKeyPair(toArrayBuffer(raw));
    const sealingPublicKey = Buffer.from(await suite.kem.serializePublicKey(sealing.publicKey));
    return new ServiceIdentity(name, signingKey, signingPublicKey, sealing, sealingPublicKey);
  }

  /** This service's entry in VANTAGE_SERVICE_KEYS: `<name>:<Ed25519 public>.<X25519 public>`, base64url. */
  get directoryEntry(): string {
    return `${this.name}:${b64u(this.signingPublicKey)}.${b64u(this.sealingPublicKey)}`;
  }

  /** Opens a secret another service sealed to this one for `context` (e.g. the submission id it belongs to). */
  async open(sealed: string, context: string): Promise<string> {
    const [version, enc, ct, extra] = sealed.split('.');
    if (version !== SEALED_VERSION || !enc || !ct || extra !== undefined) throw new ServiceKeyError('sealed value is not in a known form');
    try {
      const pt = await suite.open(
        { recipientKey: this.sealing, enc: toArrayBuffer(Buffer.from(enc, 'base64url')), info: new TextEncoder().encode(`vantage sealed to ${this.name}`) },
        Buffer.from(ct, 'base64url'),
        new TextEncoder().encode(context),
      );
      return Buffer.from(pt).toString('utf8');
    } catch {
      // Never echo the value: only that it could not be opened.
      throw new ServiceKeyError(`a value sealed to ${this.name} could not be opened (sealed to another key, for another context, or tampered)`);
    }
  }
}

interface DirectoryEntry {
  signingKey: KeyObject;
  sealingPublicKey: ArrayBuffer;
}

export class ServiceDirectory {
  private constructor(private readonly entries: ReadonlyMap<string, DirectoryEntry>) {}

  /** Parses VANTAGE_SERVICE_KEYS: comma-separated `<name>:<Ed25519 public>.<X25519 public>`. Throws naming the bad entry. */
  static parse(setting: string): ServiceDirectory {
    const entries = new Map<string, DirectoryEntry>();
    for (const entry of setting.split(',').map((s) => s.trim()).filter(Boolean)) {
      const sep = entry.indexOf(':');
      const name = entry.slice(0, sep);
      if (sep <= 0 || !NAME.test(name)) throw new ServiceKeyError(`"${entry.slice(0, 40)}" must be "<service>:<signing key>.<sealing key>"`);
      if (entries.has(name)) throw new ServiceKeyError(`${name} is listed twice`);
      const [signing, sealing, extra] = entry.slice(sep + 1).split('.');
      if (!signing || !sealing || extra !== undefined) throw new ServiceKeyError(`${name}'s keys must be "<signing key>.<sealing key>"`);
      const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), fromB64u(signing, 32, `${name}'s signing key`)]);
      entries.set(name, {
        signingKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }),
        sealingPublicKey: toArrayBuffer(fromB64u(sealing, 32, `${name}'s sealing key`)),
      });
    }
    if (entries.size === 0) throw new ServiceKeyError('no service keys are listed');
    return new ServiceDirectory(entries);
  }

  static of(identities: ServiceIdentity[]): ServiceDirectory {
    return ServiceDirectory.parse(identities.map((i) => i.directoryEntry).join(','));
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  /** The public key that verifies what `service` signs; undefined for a service not in the directory. */
  signingKeyOf(service: string): KeyObject | undefined {
    return this.entries.get(service)?.signingKey;
  }

  /** Seals a secret so that only `service` can open it, and only for the same `context`. */
  async sealTo(service: string, plaintext: string, context: string): Promise<string> {
    const entry = this.entries.get(service);
    if (!entry) throw new ServiceKeyError(`${service} is not in VANTAGE_SERVICE_KEYS: nothing can be sealed to it`);
    const recipientPublicKey = await suite.kem.deserializePublicKey(entry.sealingPublicKey);
    const { ct, enc } = await suite.seal(
      { recipientPublicKey, info: new TextEncoder().encode(`vantage sealed to ${service}`) },
      new TextEncoder().encode(plaintext),
      new TextEncoder().encode(context),
    );
    return [SEALED_VERSION, b64u(enc), b64u(ct)].join('.');
  }
}
