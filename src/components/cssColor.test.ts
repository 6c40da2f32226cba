import { describe, expect, it } from 'vitest';
import { createColorResolver } from './cssColor';

describe('createColorResolver', () => {
  const setup = () => {
    const values: Record<string, Record<string, string>> = {
      light: { '--gate-forget': ' #0072b2 ', '--text': '#111' },
      dark: { '--gate-forget': '#56b4e9', '--text': '#eee' },
    };
    const state = { theme: 'light', reads: 0 };
    const resolve = createColorResolver(
      (name) => {
        state.reads++;
        return values[state.theme][name] ?? '';
      },
      () => state.theme,
    );
    return { state, resolve };
  };

  it('reads each variable once per theme and follows a theme change', () => {
    const { state, resolve } = setup();
    expect(resolve('var(--gate-forget)')).toBe('#0072b2');
    expect(resolve('var(--gate-forget)')).toBe('#0072b2');
    expect(resolve('var(--text)')).toBe('#111');
    expect(state.reads).toBe(2);
    state.theme = 'dark';
    expect(resolve('var(--gate-forget)')).toBe('#56b4e9');
    expect(state.reads).toBe(3);
    state.theme = 'light';
    expect(resolve('var(--gate-forget)')).toBe('#0072b2');
    expect(state.reads).toBe(3);
  });

  it('passes plain colours through and falls back to grey for an unknown variable', () => {
    const { state, resolve } = setup();
    expect(resolve('#abcdef')).toBe('#abcdef');
    expect(resolve('var(--missing)')).toBe('#888');
    expect(state.reads).toBe(1);
  });
});
