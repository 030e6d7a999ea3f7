// Brokered streams in flight on this replica, so that a close or revocation ends them at once.
import { Injectable } from '@nestjs/common';

@Injectable()
export class ActiveStreams {
  private readonly streams = new Map<string, Set<{ agencyId: string; abort: AbortController }>>();

  add(submissionId: string, agencyId: string, abort: AbortController): () => void {
    const set = this.streams.get(submissionId) ?? new Set();
    const entry = { agencyId, abort };
    set.add(entry);
    this.streams.set(submissionId, set);
    return () => {
      set.delete(entry);
      if (set.size === 0) this.streams.delete(submissionId);
    };
  }

  /** Ends the submission's streams (or one agency's). */
  cut(submissionId: string, agencyId?: string): void {
    for (const entry of this.streams.get(submissionId) ?? []) {
      if (!agencyId || entry.agencyId === agencyId) entry.abort.abort(new Error('access ended'));
    }
  }
}
