import { Module } from '@nestjs/common';
import { SuitesController } from './suites.controller';

@Module({ controllers: [SuitesController] })
export class SuitesModule {}
