import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import { resolveParticles } from './particles';

/** Every user-facing string lives in en.json / ko.json; this wires them to React. */
export const LANGUAGES = [
  { code: 'en', label: 'EN' },
  { code: 'ko', label: '한국어' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'lstm-lab.language';

function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'ko') return fromUrl;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ko') return saved;
  } catch {
    // Storage can be unavailable (private mode); the browser language still works.
  }
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** Korean sentences pick each particle from the word filled in before it (see particles.ts). */
const koreanParticles = {
  type: 'postProcessor' as const,
  name: 'koreanParticles',
  process: (value: unknown, _key: unknown, _options: unknown, translator: { language?: string }) =>
    typeof value === 'string' && (translator.language ?? i18n.language) === 'ko'
      ? resolveParticles(value)
      : value,
};

const initial = initialLanguage();

void i18n
  .use(initReactI18next)
  .use(koreanParticles)
  .init({
    // Korean is its own chunk, fetched when it is the language: English readers never download
    // it (58 KB, a sixth of the entry chunk that every first visit compiles).
    resources: { en: { translation: en } },
    partialBundledLanguages: true,
    lng: initial,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnObjects: true,
    postProcess: ['koreanParticles'],
  });

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Not persisting the choice is fine.
  }
});
document.documentElement.lang = i18n.language;

async function loadLanguage(lng: Language): Promise<void> {
  if (lng === 'ko' && !i18n.hasResourceBundle('ko', 'translation'))
    i18n.addResourceBundle('ko', 'translation', (await import('./ko.json')).default);
}

/** Switches the UI language once its strings are here (nothing shows half-translated). */
export async function setLanguage(lng: Language): Promise<void> {
  await loadLanguage(lng);
  await i18n.changeLanguage(lng);
}

/**
 * Resolves when the first language's strings are loaded: at once for English, after the Korean
 * chunk for Korean (the first render waits for it rather than flashing English).
 */
export const languageReady: Promise<void> | null =
  initial === 'en'
    ? null
    : loadLanguage(initial).then(() => i18n.changeLanguage(initial).then(() => {}));

export default i18n;
