// Lets a JSONL body through to its route as the raw stream: a suite of tens of thousands of items is read line
// by line as it arrives, never parsed or held whole, and the JSON body limit does not apply to it (the upload
// has its own, see jsonl-suite.ts).
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';

export const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl'];

@Injectable()
export class JsonlBody implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addContentTypeParser(JSONL_TYPES, (_request, payload, done) => done(null, payload));
  }
}
