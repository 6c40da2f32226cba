import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { sharedData } from '../shared';

/** The Stock lab as a user meets it: load data, pick a recipe, train, read the results. */
export class StockLabPage {
  readonly dataset: Locator;
  readonly datasetName: Locator;
  readonly datasetRows: Locator;
  readonly dataError: Locator;
  readonly runError: Locator;
  readonly epoch: Locator;
  readonly runStatus: Locator;
  readonly lossChart: Locator;
  readonly predictionChart: Locator;
  readonly metrics: Locator;

  constructor(readonly page: Page) {
    this.dataset = page.getByTestId('dataset');
    this.datasetName = page.getByTestId('dataset-name');
    this.datasetRows = page.getByTestId('dataset-rows');
    this.dataError = page.getByTestId('data-error');
    this.runError = page.getByTestId('run-error');
    this.epoch = page.getByTestId('epoch');
    this.runStatus = page.getByTestId('run-status');
    this.lossChart = page.getByTestId('loss-chart');
    this.predictionChart = page.getByTestId('prediction-chart');
    this.metrics = page.getByTestId('metrics');
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(`./${query}#/stock`);
    // The first visit opens on the synthetic lesson.
    await expect(this.datasetName).toContainText('Synthetic');
  }

  /** Uploads a file through the Upload CSV input, as a user picking it would. */
  async upload(name: string, content: string | Buffer): Promise<void> {
    await this.page.getByTestId('csv-input').setInputFiles({
      name,
      mimeType: 'text/csv',
      buffer: typeof content === 'string' ? Buffer.from(content) : content,
    });
  }

  async uploadShared(file: string): Promise<void> {
    await this.upload(file, readFileSync(sharedData(file)));
    await expect(this.datasetName).toHaveText(file);
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  async setNumber(testId: string, value: number): Promise<void> {
    await this.page.getByTestId(testId).fill(String(value));
  }

  /** The bundled Starbucks preset (the seed notes' SBUX.csv), loaded. */
  async openStarbucks(): Promise<void> {
    await this.button('Starbucks 2019–2020 (the seed notes’ data)').click();
    await expect(this.datasetRows).toHaveText('253');
  }

  /** SBUX.csv with the seed recipe (full batch: one batch an epoch), `epochs` long, started. */
  async startSeedRecipe(epochs: number): Promise<void> {
    await this.uploadShared('SBUX.csv');
    await this.button('Seed recipe').click();
    await this.setNumber('epochs-input', epochs);
    await this.button('Train').click();
  }

  /** SBUX.csv with the seed recipe, trained for `epochs` until the run finishes. */
  async trainSeedRecipe(epochs: number): Promise<void> {
    await this.startSeedRecipe(epochs);
    await expect(this.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 45_000 });
  }

  /** Clicks an export button and returns the downloaded file's text. */
  async download(button: string | RegExp): Promise<string> {
    const [file] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: button }).click(),
    ]);
    return readFileSync(await file.path(), 'utf8');
  }

  async epochNumber(): Promise<number> {
    const text = (await this.epoch.textContent()) ?? '';
    return Number(/epoch (\d+)/.exec(text)?.[1] ?? NaN);
  }
}
