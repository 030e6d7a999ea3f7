// The one signature of a use case (docs/service-shape.md): one verb, a command in, a result out, in the transaction
// the adapter gives it.
import { EntityManager } from 'typeorm';

export interface UseCase<Command, Result = void> {
  execute(command: Command, tx: EntityManager): Promise<Result>;
}
