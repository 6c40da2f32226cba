import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';

interface SettingsState {
  theme: ThemeChoice;
  setTheme: (theme: ThemeChoice) => void;
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
}));
