/**
 * Runs a bounded delete (`… LIMIT batch`) until a round deletes fewer than a batch: retention sweeps never hold one
 * long statement over a big table. Returns how many rows went.
 */
export async function deleteInBatches(batch: number, round: (limit: number) => Promise<number>): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await round(batch);
    deleted += count;
    if (count < batch) return deleted;
  }
}
