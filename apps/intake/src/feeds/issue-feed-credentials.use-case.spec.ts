import { PLACEHOLDER_BUS_SETTINGS } from '@vantage/config';
import { accountPublicKey, createNatsTrust, describeCreds } from '@vantage/messaging';
import { loadIntakeConfig } from '../config';
import { FeedsNotConfiguredError, IssueFeedCredentialsUseCase } from './issue-feed-credentials.use-case';

const ENCRYPTION = { VANTAGE_ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}` };
const caller = { orgId: '019abcde-0000-7000-8000-000000000001', kind: 'agency' as const };

describe('IssueFeedCredentialsUseCase', () => {
  it('refuses (503) when the gateway has no feed signing key', async () => {
    const useCase = new IssueFeedCredentialsUseCase(loadIntakeConfig({ ...PLACEHOLDER_BUS_SETTINGS, ...ENCRYPTION }));
    await expect(useCase.execute({ caller })).rejects.toBeInstanceOf(FeedsNotConfiguredError);
  });

  it("issues credentials for the caller's own feed, expiring after FEED_CREDENTIAL_TTL_HOURS", async () => {
    const trust = createNatsTrust('vantage');
    const config = loadIntakeConfig({
      ...PLACEHOLDER_BUS_SETTINGS, ...ENCRYPTION,
      VANTAGE_FEED_SIGNING_KEY: trust.feedSignerSeed, VANTAGE_NATS_ACCOUNT: accountPublicKey(trust), NATS_PUBLIC_URL: 'nats://a:4222,tls://b:4222',
    });
    const before = Date.now();
    const view = await new IssueFeedCredentialsUseCase(config).execute({ caller, consumers: ['alerts'] });
    expect(view).toMatchObject({
      user: caller.orgId,
      filterSubject: `${config.VANTAGE_NATS_PREFIX}.feed.${caller.orgId}.>`,
      servers: ['nats://a:4222', 'tls://b:4222'],
    });
    expect(view.consumers).toEqual([caller.orgId, `${caller.orgId}_alerts`]);
    expect(describeCreds(view.creds).name).toBe(caller.orgId);
    const ttlMs = config.FEED_CREDENTIAL_TTL_HOURS * 3_600_000;
    expect(new Date(view.expiresAt).getTime()).toBeGreaterThanOrEqual(before + ttlMs);
    expect(new Date(view.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + ttlMs);
  });
});
