import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';

/**
 * Re-renders when the IndexedDB data behind `query` changes, in this page or in the worker
 * (Dexie broadcasts changes between same-origin contexts). Small enough not to add dexie-react-hooks.
 */
export function useLiveQuery<T>(query: () => Promise<T>, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: setValue,
      error: (error) => console.error('octobridge: live query failed', error),
    });
    return () => subscription.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}
