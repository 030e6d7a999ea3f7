import { Module } from '@nestjs/common';
import { JsonlBody } from './jsonl-body';
import { SuitesController } from './suites.controller';
import { UploadSuiteUseCase } from './upload-suite.use-case';

@Module({ controllers: [SuitesController], providers: [UploadSuiteUseCase, JsonlBody] })
export class SuitesModule {}
