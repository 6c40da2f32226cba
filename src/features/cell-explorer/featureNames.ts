import { useTranslation } from 'react-i18next';

/** The toy lessons' input names (core/explorer/lessons.ts) → their translation keys. */
const KEYS: Record<string, string> = {
  value: 'value',
  'first?': 'first',
  signal: 'signal',
  'is one?': 'isOne',
};

/** A feature's name in the reader's language (other names, e.g. a file's columns, as they are). */
export function useFeatureName(): (name: string) => string {
  const { t } = useTranslation();
  return (name) => (KEYS[name] ? t(`explorer.featureNames.${KEYS[name]}`) : name);
}
