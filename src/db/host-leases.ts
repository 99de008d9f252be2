import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { abortableDelay, abortReason, type HostGate } from '../../activities/http/host-gate.js';
import type { Database } from './database.js';

export interface SharedGateSettings {
  /** Requests in flight to one host, across every worker. */
  concurrency: number;
  /** Least time between two request starts to one host, across every worker, in ms. */
  minIntervalMs: number;
  /** How long a lease outlives a worker that died holding it. @default 30000 */
  leaseMs?: number;
  /** How often a worker asks again while the host is full. @default 200 */
  pollMs?: number;
  /**
   * Added to a non-zero spacing. A slot's start is fixed in the database, but each worker reaches the
   * site a round trip and a timer later, and those vary by milliseconds from one worker to the next:
   * without a margin the site could see two starts a few ms closer than asked (measured: 984 ms for
   * 1000). @default 50
   */
  marginMs?: number;
}

/** PostgreSQL's clock in epoch ms: the one clock every worker agrees on. */
export const NOW_MS = sql<string>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/**
 * Per-host politeness for every worker of an installation, kept in PostgreSQL (migration 0014).
 * A host's row holds when its next request may start; leases count the requests in flight. Taking a
 * slot is one short transaction that locks the host's row (FOR UPDATE): callers for one host queue on
 * that lock for the milliseconds the transaction lasts, callers for other hosts never meet. A lease
 * carries an expiry that its holder renews, so a worker killed mid-request frees its slot after
 * `leaseMs` instead of never. Order among waiting workers is not first-come: each polls. A release also
 * pushes the host's next start a full interval past the moment the request ended (see `remove`), which
 * is stricter than start-to-start spacing: a site sees its interval even when a worker is slow to send.
 */
export class PostgresHostGate implements HostGate {
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly spacingMs: number;

  constructor(
    private readonly db: Database,
    private readonly settings: SharedGateSettings,
    private readonly logger?: Logger,
  ) {
    this.leaseMs = settings.leaseMs ?? 30_000;
    this.pollMs = settings.pollMs ?? 200;
    this.spacingMs = settings.minIntervalMs > 0 ? settings.minIntervalMs + (settings.marginMs ?? 50) : 0;
  }

  async acquire(host: string, signal: AbortSignal): Promise<() => void> {
    for (;;) {
      if (signal.aborted) throw abortReason(signal);
      const reserved = await this.reserve(host);
      if (reserved) return this.hold(reserved, signal);
      // Jitter keeps the workers waiting on one host from asking in lockstep.
      await abortableDelay(this.pollMs * (0.5 + Math.random()), signal);
    }
  }

  private async hold(lease: { id: string; delayMs: number }, signal: AbortSignal): Promise<() => void> {
    const renewal = setInterval(() => void this.renew(lease.id), this.leaseMs / 3);
    renewal.unref();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      void this.remove(lease.id);
    };
    if (lease.delayMs > 0) {
      try {
        await abortableDelay(lease.delayMs, signal);
      } catch (error) {
        release();
        throw error;
      }
    }
    return release;
  }

  /** A slot and a start time for one request, or undefined when the host is full. */
  private async reserve(host: string): Promise<{ id: string; delayMs: number } | undefined> {
    const { concurrency } = this.settings;
    return this.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO host_gates (host, next_start_at) VALUES (${host}, 0) ON CONFLICT (host) DO NOTHING`.execute(
        trx,
      );
      const gate = await sql<{ next_start_at: string; now: string }>`
        SELECT next_start_at, ${NOW_MS} AS now FROM host_gates WHERE host = ${host} FOR UPDATE`.execute(trx);
      const row = gate.rows[0];
      if (!row) throw new Error(`host gate row for ${host} vanished`);
      const now = Number(row.now);
      await sql`DELETE FROM host_leases WHERE host = ${host} AND expires_at <= ${now}`.execute(trx);
      const leases = await sql<{ active: string }>`
        SELECT count(*) AS active FROM host_leases WHERE host = ${host}`.execute(trx);
      if (Number(leases.rows[0]?.active ?? 0) >= concurrency) return undefined;
      const startAt = Math.max(now, Number(row.next_start_at));
      const id = randomUUID();
      await sql`UPDATE host_gates SET next_start_at = ${startAt + this.spacingMs} WHERE host = ${host}`.execute(trx);
      await sql`INSERT INTO host_leases (id, host, expires_at) VALUES (${id}, ${host}, ${startAt + this.leaseMs})`.execute(
        trx,
      );
      return { id, delayMs: startAt - now };
    });
  }

  private async renew(id: string): Promise<void> {
    try {
      await sql`UPDATE host_leases SET expires_at = GREATEST(expires_at, ${NOW_MS} + ${this.leaseMs}) WHERE id = ${id}`.execute(
        this.db,
      );
    } catch (error) {
      this.logger?.warn({ err: error, leaseId: id }, 'host lease not renewed; it may lapse before the request ends');
    }
  }

  private async remove(id: string): Promise<void> {
    try {
      // The next start is also held a full interval after this request ended. Starts are fixed in the
      // database, but each worker reaches the site a scheduling delay later, and a cold or starved process
      // can lose a few hundred ms there (measured: 839 ms seen for 1000 asked); a start that waits for
      // the release cannot arrive before the request it follows. One statement, so no one sees the slot
      // free before the spacing moved.
      await sql`
        WITH gone AS (DELETE FROM host_leases WHERE id = ${id} RETURNING host)
        UPDATE host_gates SET next_start_at = GREATEST(next_start_at, ${NOW_MS} + ${this.settings.minIntervalMs})
        WHERE host IN (SELECT host FROM gone)`.execute(this.db);
    } catch (error) {
      // The lease lapses on its own after leaseMs; until then the host has one slot fewer.
      this.logger?.warn({ err: error, leaseId: id }, 'host lease not released; it lapses on its own');
    }
  }
}
