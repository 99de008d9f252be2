import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema, ItemEventKind } from './schema.js';

type Tx = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/**
 * The writes behind an item's lineage (GET /items/:id/lineage), each made inside the transaction that
 * already saves, reads or publishes the item, so the lineage can never disagree with the data.
 */

/**
 * After a batch of a run's items was inserted (or ignored as already stored): a first_seen event for
 * each item this run inserted, with the activity's attempt, and the seen-again count of each item an
 * earlier run had found. Both are idempotent for the run: a retried save adds nothing.
 */
export async function recordSightings(
  tx: Tx,
  input: { runId: string; streamId: string; sourceId: string; canonicalUrls: string[]; attempt: number | null },
  now: string,
): Promise<void> {
  if (input.canonicalUrls.length === 0) return;
  const rows = await tx
    .selectFrom('items')
    .select(['id', 'run_id'])
    .where('source_id', '=', input.sourceId)
    .where('canonical_url', 'in', input.canonicalUrls)
    .execute();
  const fresh = rows.filter((row) => row.run_id === input.runId).map((row) => row.id);
  const again = rows.filter((row) => row.run_id !== input.runId).map((row) => row.id);
  if (fresh.length > 0) {
    const recorded = new Set(
      (
        await tx
          .selectFrom('item_events')
          .select('item_id')
          .where('kind', '=', 'first_seen')
          .where('item_id', 'in', fresh)
          .execute()
      ).map((row) => row.item_id),
    );
    const events = fresh
      .filter((id) => !recorded.has(id))
      .map((id) => ({
        item_id: id,
        at: now,
        kind: 'first_seen' as const,
        run_id: input.runId,
        stream_id: input.streamId,
        attempt: input.attempt,
        detail: null,
      }));
    if (events.length > 0) await tx.insertInto('item_events').values(events).execute();
  }
  if (again.length > 0) {
    await tx
      .updateTable('items')
      .set((eb) => ({
        seen_again_count: eb('seen_again_count', '+', 1),
        seen_again_first_run_id: eb.fn.coalesce('seen_again_first_run_id', eb.val(input.runId)),
        seen_again_last_run_id: input.runId,
        seen_again_last_at: now,
      }))
      .where('id', 'in', again)
      .where((eb) => eb.or([eb('seen_again_last_run_id', 'is', null), eb('seen_again_last_run_id', '!=', input.runId)]))
      .execute();
  }
}

/** One event of an item, its run and stream given or (for parse_now, which knows only the item) the item's own. */
export async function recordItemEvent(
  tx: Tx,
  event: {
    itemId: number;
    kind: ItemEventKind;
    runId?: string | undefined;
    streamId?: string | undefined;
    attempt?: number | null | undefined;
    detail?: Record<string, unknown> | null | undefined;
  },
): Promise<void> {
  const now = new Date().toISOString();
  const detail = event.detail ? JSON.stringify(event.detail) : null;
  if (event.runId && event.streamId) {
    await tx
      .insertInto('item_events')
      .values({
        item_id: event.itemId,
        at: now,
        kind: event.kind,
        run_id: event.runId,
        stream_id: event.streamId,
        attempt: event.attempt ?? null,
        detail,
      })
      .execute();
    return;
  }
  await tx
    .insertInto('item_events')
    .columns(['item_id', 'at', 'kind', 'run_id', 'stream_id', 'attempt', 'detail'])
    .expression((eb) =>
      eb
        .selectFrom('items')
        .select((s) => [
          'id',
          s.val(now).as('at'),
          s.val(event.kind).as('kind'),
          'run_id',
          'stream_id',
          s.val(event.attempt ?? null).as('attempt'),
          s.val(detail).as('detail'),
        ])
        .where('id', '=', event.itemId),
    )
    .execute();
}
