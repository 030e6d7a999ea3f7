// The audit of brokered calls: one row per call, read back newest first.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';

export interface AccessRecord {
  submissionId: string;
  agencyId: string;
  at: Date;
  status: number;
  latencyMs: number;
  stream: boolean;
  promptTokens?: number;
  completionTokens?: number;
}

@Injectable()
export class AccessLogStore {
  async append(tx: EntityManager, r: AccessRecord): Promise<void> {
    await tx.query(
      `INSERT INTO access_log (id, submission_id, agency_id, at, status, latency_ms, stream, prompt_tokens, completion_tokens)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [uuidv7({ msecs: r.at.getTime() }), r.submissionId, r.agencyId, r.at, r.status, r.latencyMs, r.stream, r.promptTokens ?? null, r.completionTokens ?? null],
    );
  }

  /** The submission's newest `limit` calls, newest first (in the order they were written). */
  async newest(tx: EntityManager, submissionId: string, limit: number): Promise<Omit<AccessRecord, 'submissionId'>[]> {
    const rows: {
      agency_id: string; at: Date | string; status: number; latency_ms: number; stream: boolean; prompt_tokens: number | null; completion_tokens: number | null;
    }[] = await tx.query(
      `SELECT agency_id, at, status, latency_ms, stream, prompt_tokens, completion_tokens FROM access_log
       WHERE submission_id = $1 ORDER BY seq DESC LIMIT $2`,
      [submissionId, limit],
    );
    return rows.map((r) => ({
      agencyId: r.agency_id, at: new Date(r.at), status: r.status, latencyMs: r.latency_ms, stream: r.stream,
      promptTokens: r.prompt_tokens ?? undefined, completionTokens: r.completion_tokens ?? undefined,
    }));
  }
}
