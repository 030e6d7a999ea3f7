import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, Matches } from 'class-validator';
import { EXAMPLE_IDS } from '@vantage/contracts';

export class IssueFeedCredentialsDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['alerts'],
    description: 'Extra durable consumer names (lowercase letters, digits, _ or -); each is usable as `<orgId>_<name>`. `<orgId>` itself always is.',
  })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @ArrayUnique()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,31}$/, { each: true, message: 'each consumer name must be 1-32 lowercase letters, digits, _ or -' })
  consumers?: string[];
}

export class FeedCredentialsView {
  @ApiProperty({ description: 'The NATS user: your organisation id.' }) user: string;
  @ApiProperty({
    description: 'A NATS `.creds` file (user JWT and its secret seed): save it and pass it to your client (`nats --creds`, nats.js `credsAuthenticator`). Shown this once; Vantage keeps no copy.',
  })
  creds: string;
  @ApiProperty({ example: '_INBOX.<orgId>', description: 'The inbox prefix your client must use (`nats --inbox-prefix`, nats.js `inboxPrefix`): replies come nowhere else.' })
  inboxPrefix: string;
  @ApiProperty({ example: 'VANTAGE_FEED' }) stream: string;
  @ApiProperty({ example: 'vantage.feed.<orgId>.>', description: 'Your feed: a consumer may filter on this or anything narrower.' }) filterSubject: string;
  @ApiProperty({ type: [String], description: 'The durable consumer names you may create and read.' }) consumers: string[];
  @ApiProperty({ format: 'date-time', description: 'When the credentials stop working; ask for new ones before then.' }) expiresAt: string;
  @ApiPropertyOptional({ type: [String], description: 'Where to connect, when the operator has said (NATS_PUBLIC_URL).' }) servers?: string[];
}

export const FEED_CREDENTIALS_EXAMPLE: FeedCredentialsView = {
  user: EXAMPLE_IDS.agency,
  creds:
    '-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ…\n------END NATS USER JWT------\n\n' +
    '-----BEGIN USER NKEY SEED-----\nSUAM…\n------END USER NKEY SEED------\n',
  inboxPrefix: `_INBOX.${EXAMPLE_IDS.agency}`,
  stream: 'VANTAGE_FEED',
  filterSubject: `vantage.feed.${EXAMPLE_IDS.agency}.>`,
  consumers: [EXAMPLE_IDS.agency, `${EXAMPLE_IDS.agency}_alerts`],
  expiresAt: '2026-11-27T12:00:00.000Z',
  servers: ['tls://nats.vantage.gov.example:4222'],
};
