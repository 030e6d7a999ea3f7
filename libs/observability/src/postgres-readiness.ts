import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReadinessRegistry } from './readiness-registry';

/** Add to an app's providers: the app is ready only while its Postgres answers `SELECT 1`. */
@Injectable()
export class PostgresReadiness implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    // The registry bounds the query (2 s by default): an exhausted pool fails the probe instead of hanging it.
    this.readiness.register('postgres', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}
