/**
 * One page of a newest-first listing read with `limit + 1` rows: the extra row only says another page
 * exists, and the cursor for it is the last kept row's id (the next page asks for smaller ids).
 */
export function idCursorPage<TRow extends { id: number }, TOut>(
  rows: TRow[],
  limit: number,
  map: (row: TRow) => TOut,
): { page: TOut[]; nextCursor: string | null } {
  const kept = rows.slice(0, limit);
  return { page: kept.map(map), nextCursor: rows.length > limit ? String(kept.at(-1)?.id) : null };
}
