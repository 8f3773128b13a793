import { useEffect } from 'react';

/**
 * Loads once, and again whenever the page comes back into view: dossiers are added in another section (or tab) of
 * the options page, and the sections that list them must see them.
 */
export function useReloadOnFocus(reload: () => Promise<void> | void): void {
  useEffect(() => {
    void reload();
    const again = () => void reload();
    window.addEventListener('focus', again);
    return () => window.removeEventListener('focus', again);
  }, [reload]);
}
