/// <reference lib="webworker" />
import { CsvTableBuilder, DataError, type Table } from '../core/index';
import type { CsvReply, CsvRequest } from './csvProtocol';

/** Parses one CSV at a time, streaming it through the core's builder, and reports progress. */
declare const self: DedicatedWorkerGlobalScope;

const post = (msg: CsvReply, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

async function open(
  req: CsvRequest,
): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
  if (req.source.kind === 'file') {
    return { stream: req.source.file.stream(), size: req.source.file.size };
  }
  const res = await fetch(req.source.url);
  if (!res.ok || !res.body) {
    throw new Error(`could not load ${req.source.url} (HTTP ${res.status})`);
  }
  return { stream: res.body, size: Number(res.headers.get('content-length')) || 0 };
}

async function parse(req: CsvRequest): Promise<Table> {
  const { stream, size } = await open(req);
  let bytes = 0;
  let lastReport = 0;
  const builder = new CsvTableBuilder((p) => {
    const now = performance.now();
    if (now - lastReport < 50) return;
    lastReport = now;
    post({ type: 'progress', id: req.id, fraction: size ? bytes / size : 0, rows: p.rows });
  });
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    builder.push(decoder.decode(value, { stream: true }));
  }
  builder.push(decoder.decode());
  return builder.end();
}

self.onmessage = async (event: MessageEvent<CsvRequest>) => {
  const req = event.data;
  try {
    const table = await parse(req);
    // Hand the column buffers over instead of copying them.
    const transfer = table.columns.flatMap((c) => (c.kind === 'text' ? [] : [c.values.buffer]));
    post({ type: 'done', id: req.id, table }, transfer);
  } catch (e) {
    const err = e as Error;
    post({
      type: 'error',
      id: req.id,
      code: e instanceof DataError ? e.code : 'unreadable',
      params: e instanceof DataError ? e.params : { detail: err.message },
      message: err.message,
    });
  }
};
