// Applies VANTAGE_BOOTSTRAP_OPERATOR_KEY at a gateway's start: the configured value is the bootstrap key (made if
// new, left as it is if known, a revoked one staying revoked), every other bootstrap key is revoked, and every
// replica forgets what it remembers of keys.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { hashApiKey } from '@vantage/crypto';
import { UseCase } from '@vantage/runtime';
import { ApiKeyStore } from './api-key-store';
import { assertBootstrapKeyFormat, BOOTSTRAP_KEY_PREFIX, BOOTSTRAP_OPERATOR_ORG_ID, configuredKey } from './bootstrap-key';
import { OrganisationStore } from './organisation-store';

export interface SetBootstrapKeyCommand {
  /** The configured value; undefined: none (every bootstrap key is revoked). */
  key?: string;
}

export interface BootstrapKeyOutcome {
  /** The configured key as stored. */
  current?: { id: string; revoked: boolean };
  /** The bootstrap keys revoked now. */
  revoked: string[];
}

@Injectable()
export class SetBootstrapKeyUseCase implements UseCase<SetBootstrapKeyCommand, BootstrapKeyOutcome> {
  constructor(
    private readonly organisations: OrganisationStore,
    private readonly keys: ApiKeyStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: SetBootstrapKeyCommand, tx: EntityManager): Promise<BootstrapKeyOutcome> {
    const { key } = command;
    assertBootstrapKeyFormat(key);
    const now = this.clock.now();
    let current: BootstrapKeyOutcome['current'];
    if (key) {
      await this.organisations.ensureOperators(tx, BOOTSTRAP_OPERATOR_ORG_ID, now);
      const keyHash = hashApiKey(key);
      const configured = configuredKey(key, await this.keys.findByHash(tx, keyHash));
      if (configured.isNew) await this.keys.insertIfAbsent(tx, { id: configured.id, orgId: BOOTSTRAP_OPERATOR_ORG_ID, keyHash, createdAt: now });
      current = { id: configured.id, revoked: configured.revoked };
    }
    const revoked = await this.keys.revokeByPrefixExcept(tx, BOOTSTRAP_OPERATOR_ORG_ID, BOOTSTRAP_KEY_PREFIX, current?.id ?? '', now);
    // Every replica forgets what it remembers of keys, this one's new key included (it may have refused it).
    await this.keys.announceChange(tx);
    return { current, revoked };
  }
}
