import type { Locator, Page } from '@playwright/test';

/** The Cell explorer as a user meets it: pick a source, step through time, read the gates. */
export class CellExplorerPage {
  readonly stepLabel: Locator;
  readonly playButton: Locator;

  constructor(readonly page: Page) {
    this.stepLabel = page.getByTestId('step-label');
    this.playButton = page.getByRole('button', { name: /Play|Pause|재생|일시정지/ });
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(`./${query}#/explorer`);
    await this.stepLabel.waitFor();
  }

  /**
   * Waits until the view stops moving: every heavy panel mounted and the math typeset in its
   * fonts. Until then the panels below the equations can shift by a line, so a pointer resting
   * on one weight may end up on its neighbour.
   */
  async settled(): Promise<void> {
    await this.page.waitForFunction(
      () =>
        document.querySelector('.after-paint.pending') === null &&
        document.querySelector('.tex.pending') === null &&
        document.fonts.status === 'loaded',
    );
  }

  async importWeights(path: string): Promise<void> {
    await this.page.getByTestId('explorer-weights-input').setInputFiles(path);
  }

  value(key: 'i' | 'f' | 'g' | 'o' | 'c' | 'h'): Locator {
    return this.page.getByTestId(`value-${key}`);
  }

  async step(): Promise<number> {
    return Number(/t = (\d+)/.exec((await this.stepLabel.textContent()) ?? '')?.[1] ?? NaN);
  }
}
