// One TypeORM data source per service, bound to the service's own schema. Migrations only, never synchronize.
import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';

/** An entity or migration class. */
export type ClassRef = new (...args: any[]) => any;

export interface ServiceDataSourceSpec {
  url: string;
  schema: string;
  entities: MixedList<ClassRef | string | EntitySchema>;
  migrations: MixedList<ClassRef | string>;
  poolSize?: number;
  applicationName?: string;
}

export function serviceDataSourceOptions(spec: ServiceDataSourceSpec): DataSourceOptions {
  return {
    type: 'postgres',
    url: spec.url,
    schema: spec.schema,
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: spec.poolSize ?? 10,
    // search_path keeps raw SQL in the service's own schema too.
    extra: {
      options: `-c search_path=${spec.schema}`,
      application_name: spec.applicationName ?? spec.schema,
      max: spec.poolSize ?? 10,
    },
  };
}

export function createServiceDataSource(spec: ServiceDataSourceSpec): DataSource {
  return new DataSource(serviceDataSourceOptions(spec));
}

/** Runs a service's pending migrations and says which ran. */
export async function runMigrations(spec: ServiceDataSourceSpec): Promise<string[]> {
  const ds = createServiceDataSource({ ...spec, poolSize: 1 });
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
