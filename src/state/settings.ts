import { create } from 'zustand';
import type { EngineChoice } from '../worker/protocol';

export type ThemeChoice = 'system' | 'light' | 'dark';

interface SettingsState {
  theme: ThemeChoice;
  setTheme: (theme: ThemeChoice) => void;
  /** Which engine trains: 'auto' lets the worker pick; `?backend=` in the URL wins. */
  engine: EngineChoice;
  setEngine: (engine: EngineChoice) => void;
}

export const ENGINE_CHOICES: EngineChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu', 'core'];
const ENGINE_KEY = 'lstm-lab.engine';

function savedEngine(): EngineChoice {
  const fromUrl = new URLSearchParams(location.search).get('backend');
  if (ENGINE_CHOICES.includes(fromUrl as EngineChoice)) return fromUrl as EngineChoice;
  try {
    const e = localStorage.getItem(ENGINE_KEY);
    if (ENGINE_CHOICES.includes(e as EngineChoice)) return e as EngineChoice;
  } catch {
    // No storage: Auto.
  }
  return 'auto';
}

const THEME_KEY = 'lstm-lab.theme';

function savedTheme(): ThemeChoice {
  try {
    const t = localStorage.getItem(THEME_KEY);
    if (t === 'light' || t === 'dark' || t === 'system') return t;
  } catch {
    // No storage: follow the system.
  }
  return 'system';
}

/** App-wide preferences (the language lives in i18next). */
export const useSettings = create<SettingsState>((set) => ({
  theme: savedTheme(),
  setTheme: (theme) => {
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Not persisting is fine.
    }
    set({ theme });
  },
  engine: savedEngine(),
  setEngine: (engine) => {
    try {
      localStorage.setItem(ENGINE_KEY, engine);
    } catch {
      // Not persisting is fine.
    }
    set({ engine });
  },
}));
