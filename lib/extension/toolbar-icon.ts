/**
 * The toolbar button's look: its icon says the state (idle, needs attention, sending), its badge counts the documents
 * that need the user. The PNGs are drawn from assets/icons/*.svg by `npm run icons` into public/icons.
 */

/** The extension's icon (store, extension pages, notifications), in the sizes Chrome asks for. */
export const ICON_SIZES = [16, 32, 48, 128] as const;
/** The toolbar shows 16 px (32 px on high-density screens). */
export const TOOLBAR_SIZES = [16, 32] as const;
export const TOOLBAR_STATES = ['idle', 'attention', 'sending'] as const;
export type ToolbarState = (typeof TOOLBAR_STATES)[number];

/** Paths inside the extension (public/ is copied to its root). */
export function iconFile(size: number): string {
  return `icons/icon-${size}.png`;
}
/** Idle is the extension's own icon; the other states have their own drawing. */
export function toolbarIconFile(state: ToolbarState, size: number): string {
  return state === 'idle' ? iconFile(size) : `icons/toolbar-${state}-${size}.png`;
}

export function iconPaths(sizes: readonly number[], file: (size: number) => string): Record<string, string> {
  return Object.fromEntries(sizes.map((size) => [String(size), file(size)]));
}

/** The part of the browser's action API the worker uses here (chrome.action), so tests can stand in for it. */
export interface ToolbarAction {
  setIcon(details: { path: Record<string, string> }): Promise<void>;
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
}

/** Sending shows while anything is on its way; otherwise documents waiting for the user show; else idle. */
export function toolbarState(counts: { attention: number; sending: number }): ToolbarState {
  if (counts.sending > 0) return 'sending';
  if (counts.attention > 0) return 'attention';
  return 'idle';
}

const BADGE_COLOR = '#b3261e';

/**
 * Sets the icon of the state and the badge. The icon is set only when the state changed since the last call of this
 * toolbar (a worker that just started sets it once, since the browser shows the manifest's idle icon after a restart).
 */
export function toolbar(action: ToolbarAction): (counts: { attention: number; sending: number }) => Promise<ToolbarState> {
  let shown: ToolbarState | undefined;
  return async (counts) => {
    const state = toolbarState(counts);
    if (state !== shown) {
      await action.setIcon({ path: iconPaths(TOOLBAR_SIZES, (size) => `/${toolbarIconFile(state, size)}`) });
      shown = state;
    }
    await action.setBadgeText({ text: counts.attention > 0 ? String(counts.attention) : '' });
    await action.setBadgeBackgroundColor({ color: BADGE_COLOR });
    return state;
  };
}
