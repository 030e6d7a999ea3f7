import { Module } from '@nestjs/common';
import { WindowsController } from './windows.controller';

@Module({ controllers: [WindowsController] })
export class WindowsModule {}
