// A small feature controller for the specs of this library: it logs and reports the trace it sees.
import { Body, Controller, Delete, Get, Logger, Param, Post } from '@nestjs/common';
import { TraceContext } from '../src/trace-context';

@Controller('things')
export class ThingsController {
  private readonly logger = new Logger('ThingsController');

  @Get(':id')
  async fetch(@Param('id') id: string): Promise<{ id: string; traceparent?: string }> {
    await new Promise((resolve) => setImmediate(resolve));
    this.logger.log({ msg: 'fetched thing', id, endpoint: { url: 'https://lab.example/v1', apiKey: 'sk-live-123' } });
    return { id, traceparent: TraceContext.current()?.traceparent };
  }

  @Post()
  async create(@Body() body: { name: string }): Promise<{ name: string; traceparent?: string; correlationId?: string }> {
    await new Promise((resolve) => setImmediate(resolve));
    return { name: body.name, ...TraceContext.current() };
  }

  @Delete(':id')
  async remove(@Param('id') id: string): Promise<never> {
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error(`the disk holding thing ${id} is on fire`);
  }
}
