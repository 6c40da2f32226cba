import type { Table } from '../core/index';
import type { CsvReply, CsvSource } from './csvProtocol';

/** A CSV the worker refused: the DataError code and params, for a translated sentence. */
export class CsvParseError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number>,
    message: string,
  ) {
    super(message);
    this.name = 'CsvParseError';
  }
}

let worker: Worker | null = null;
let nextId = 1;
let active: { id: number; reject: (e: Error) => void } | null = null;

/**
 * Parses a CSV in the CSV worker. Starting a new parse cancels the one in flight (its worker
 * is terminated, so a huge file stops costing CPU at once).
 */
export function parseCsvInWorker(
  source: CsvSource,
  onProgress?: (fraction: number, rows: number) => void,
): Promise<Table> {
  if (active) {
    worker?.terminate();
    worker = null;
    active.reject(new CsvParseError('cancelled', {}, 'cancelled by a newer file'));
    active = null;
  }
  worker ??= new Worker(new URL('./csv.worker.ts', import.meta.url), { type: 'module' });
  const w = worker;
  const id = nextId++;
  return new Promise<Table>((resolve, reject) => {
    active = { id, reject };
    const settle = () => {
      active = null;
      w.onmessage = null;
      w.onerror = null;
    };
    w.onmessage = (e: MessageEvent<CsvReply>) => {
      const msg = e.data;
      if (msg.id !== id) return;
      if (msg.type === 'progress') onProgress?.(msg.fraction, msg.rows);
      else if (msg.type === 'done') {
        settle();
        resolve(msg.table);
      } else {
        settle();
        reject(new CsvParseError(msg.code, msg.params, msg.message));
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      settle();
      worker = null;
      w.terminate();
      reject(new CsvParseError('unreadable', { detail: e.message }, e.message || 'worker error'));
    };
    w.postMessage({ id, source });
  });
}
