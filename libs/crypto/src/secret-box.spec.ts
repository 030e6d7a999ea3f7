import { randomBytes } from 'node:crypto';
import { apiKeyId, hashApiKey, issueApiKey } from './api-keys';
import { SecretBox, SecretBoxError } from './secret-box';

const k = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('seals so that the text is not visible and opens it again', () => {
    const box = SecretBox.fromSetting(`k1:${k()}`);
    const sealed = box.seal('sk-live-123', 'submission-1');
    expect(sealed).not.toContain('sk-live-123');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(box.open(sealed, 'submission-1')).toBe('sk-live-123');
  });

  it('refuses a sealed value moved to another row or tampered with, without echoing it', () => {
    const box = SecretBox.fromSetting(`k1:${k()}`);
    const sealed = box.seal('sk-live-123', 'submission-1');
    expect(() => box.open(sealed, 'submission-2')).toThrow(SecretBoxError);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64');
    expect(() => box.open(parts.join('.'), 'submission-1')).toThrow(/could not be opened/);
  });

  it('refuses a sealed value whose tag is cut shorter than 16 bytes, although the shorter tag is a true prefix', () => {
    const box = SecretBox.fromSetting(`k1:${k()}`);
    const sealed = box.seal('sk-live-123', 'submission-1');
    const parts = sealed.split('.');
    const tag = Buffer.from(parts[3], 'base64');
    expect(tag).toHaveLength(16);
    for (const length of [4, 8, 12, 15]) {
      parts[3] = tag.subarray(0, length).toString('base64');
      expect(() => box.open(parts.join('.'), 'submission-1')).toThrow(SecretBoxError);
    }
    parts[3] = Buffer.concat([tag, Buffer.from([0])]).toString('base64');
    expect(() => box.open(parts.join('.'), 'submission-1')).toThrow(SecretBoxError);
  });

  it('opens values sealed under an older key during a rotation and seals new ones with the current key', () => {
    const old = k();
    const before = SecretBox.fromSetting(`k1:${old}`);
    const sealed = before.seal('secret');
    const during = SecretBox.fromSetting(`k2:${k()},k1:${old}`);
    expect(during.open(sealed)).toBe('secret');
    expect(during.needsResealing(sealed)).toBe(true);
    expect(during.seal('secret').startsWith('v1.k2.')).toBe(true);
  });

  it('refuses a key of the wrong size', () => {
    expect(() => SecretBox.fromSetting(`k1:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
  });
});

describe('API keys', () => {
  it('issues a prefixed key whose id can be read and whose hash is stable', () => {
    const issued = issueApiKey('abc123');
    expect(issued.key).toMatch(/^vnt_abc123_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyId(issued.key)).toBe('abc123');
    expect(hashApiKey(issued.key)).toBe(issued.hash);
    expect(issued.hash).not.toContain(issued.key);
    expect(apiKeyId('Bearer nonsense')).toBeUndefined();
  });
});
