/**
 * Messages of the CSV worker, which parses uploads and bundled files off the main thread so a
 * 60 MB file never freezes the page. Types only.
 */
import type { Table } from '../core/index';

export type CsvSource = { kind: 'file'; file: Blob } | { kind: 'url'; url: string };

export interface CsvRequest {
  id: number;
  source: CsvSource;
}

export type CsvReply =
  | { type: 'progress'; id: number; fraction: number; rows: number }
  | { type: 'done'; id: number; table: Table }
  | {
      type: 'error';
      id: number;
      code: string;
      params: Record<string, string | number>;
      message: string;
    };
