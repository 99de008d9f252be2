/** The bare SDK's side of bench/start-path.ts: what a NewLoom feed run does, with nothing of NewLoom's. */
export function createBareActivities() {
  return {
    async fetchFeed(url: string): Promise<number> {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      return (await response.text()).length;
    },
    async noop(): Promise<void> {},
  };
}

export type BareActivities = ReturnType<typeof createBareActivities>;
