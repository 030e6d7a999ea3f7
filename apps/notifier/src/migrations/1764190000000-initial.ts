import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@vantage/persistence';

export class Initial1764190000000 implements MigrationInterface {
  name = 'Initial1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await createOutboxAndInbox(q, 'notify');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropOutboxAndInbox(q, 'notify');
  }
}
