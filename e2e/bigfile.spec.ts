import { statSync, writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { watchWorkerMemory } from './memory';
import { StockLabPage } from './pages/StockLab';

/** A million minute bars (56 MB), as a broker's intraday export. */
function minuteBars(path: string): void {
  const lines = ['Date,Open,High,Low,Close,Volume'];
  let t = Date.UTC(2015, 0, 5, 9, 30);
  for (let k = 0; k < 1_000_000; k++) {
    const d = new Date(t).toISOString().slice(0, 16).replace('T', ' ');
    const p = 100 + 10 * Math.sin(k / 700) + 3 * Math.sin(k / 37);
    lines.push(
      `${d},${p.toFixed(4)},${(p + 0.05).toFixed(4)},${(p - 0.05).toFixed(4)},${(p + 0.01).toFixed(4)},${1000 + (k % 977)}`,
    );
    t += 60_000;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

test('a million minute bars: the run asks before a slow epoch, trains on the last rows with progress inside the epoch, pauses mid-epoch, in bounded memory', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  const path = info.outputPath('minutes.csv');
  minuteBars(path);
  expect(statSync(path).size).toBeGreaterThan(50 * 1024 * 1024);
  const lab = new StockLabPage(page);
  await lab.open();
  const memory = await watchWorkerMemory(page, 'training.worker');
  await page.getByTestId('csv-input').setInputFiles(path);
  await expect(lab.datasetRows).toHaveText('1,000,000', { timeout: 120_000 });
  // Minute bars keep their time of day.
  await expect(page.getByTestId('first-date')).toHaveText('2015-01-05 09:30');
  await expect(page.getByTestId('preview-table')).toContainText('2015-01-05 09:31');
  // A bigger model makes every batch slower: an epoch of ~25,000 batches takes minutes here.
  await page.getByLabel('Hidden size').fill('64');
  await lab.button('Train').click();
  const slow = page.getByTestId('slow-epoch');
  await expect(slow).toContainText('One epoch of this file would take about', { timeout: 90_000 });
  await expect(lab.runStatus).toHaveAttribute('data-status', 'paused');
  // The estimate is in minutes, said with the batches it counts.
  await expect(slow).toContainText(
    /about \d+:\d\d(:\d\d)? here \([\d,]+ batches over 1,000,000 rows\)/,
  );
  await expect(slow.getByRole('button', { name: 'Resample to one row per day' })).toBeVisible();
  await slow.getByRole('button', { name: 'Train on the last 50,000 rows' }).click();
  await expect(lab.runStatus).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  // Inside an epoch the status says where it stands and how long is left.
  const batch = page.getByTestId('batch-status');
  await expect(batch).toContainText(/batch [\d,]+ of [\d,]+ .*left in this epoch/, {
    timeout: 60_000,
  });
  await lab.button('Pause').click();
  await expect(lab.runStatus).toHaveAttribute('data-status', 'paused');
  // The pause landed inside the epoch: the worker did not finish the epoch first.
  const text = (await batch.textContent()) ?? '';
  const [, index, count] = /batch ([\d,]+) of ([\d,]+)/.exec(text)!.map((v) => v.replace(/,/g, ''));
  expect(Number(index)).toBeLessThan(Number(count));
  expect(await lab.epochNumber()).toBe(0);
  await lab.button('Stop').click();
  await expect(lab.runStatus).toHaveAttribute('data-status', 'stopped');
  const peak = await memory.stop();
  // Measured, not assumed: the training worker's heap and array buffers, sampled all along.
  expect(memory.samples()).toBeGreaterThan(20);
  info.annotations.push({ type: 'peak training-worker memory (MB)', description: peak.toFixed(0) });
  console.log(
    `peak training-worker memory (JS heap + array buffers) on 1M rows: ${peak.toFixed(0)} MB`,
  );
  expect(peak).toBeLessThan(500);
});
