// The first operator key comes from VANTAGE_BOOTSTRAP_OPERATOR_KEY. At each start the gateway applies one rule:
//  - the configured key value is the bootstrap key; any other bootstrap key (an earlier value) is revoked;
//  - with the variable unset, every bootstrap key is revoked;
//  - a revoked bootstrap key stays revoked: configuring its value again does not bring it back. A key is its value
//    (its hash), not its id: `npm run admin -- new-key` makes every key with the id `operator`, so a new value under
//    the same id is a new key, and the old value stops working.
// So an operator who has made keys of their own can revoke the bootstrap key through the API (or unset the
// variable) and know it stays dead across restarts. Replicas should be given the same value: a replica started
// with an older value revokes the newer one, for good.
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';
import { SetBootstrapKeyUseCase } from './set-bootstrap-key.use-case';

export { BOOTSTRAP_OPERATOR_ORG_ID, bootstrapKeyId } from './bootstrap-key';

@Injectable()
export class BootstrapOperator implements OnApplicationBootstrap {
  private readonly log = new Logger(BootstrapOperator.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly setBootstrapKey: SetBootstrapKeyUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const outcome = await this.dataSource.transaction((tx) => this.setBootstrapKey.execute({ key: this.config.VANTAGE_BOOTSTRAP_OPERATOR_KEY }, tx));
    if (outcome.revoked.length) this.log.warn(`bootstrap operator key(s) ${outcome.revoked.join(', ')} revoked: no longer configured`);
    if (!outcome.current) return;
    if (outcome.current.revoked) {
      this.log.warn(
        `VANTAGE_BOOTSTRAP_OPERATOR_KEY (key ${outcome.current.id}) was revoked and stays revoked; unset it, or set a new key (npm run admin -- new-key)`,
      );
    } else {
      this.log.log(`bootstrap operator key ${outcome.current.id} is active`);
    }
  }
}
