/**
 * Why a file or a setup was refused, as a code (so the UI can say it in the user's language),
 * the values the sentence needs, and an English sentence for the CLI and logs.
 */
export type DataErrorCode =
  | 'empty'
  | 'headerOnly'
  | 'binary'
  | 'noNumeric'
  | 'inconsistentFields'
  | 'inconsistentHeader'
  | 'tooFewRowsFile'
  | 'tooFewRows'
  | 'unknownColumn'
  | 'notNumeric'
  | 'badConfig'
  | 'fullBatchTooBig'
  | 'badModel';

export class DataError extends Error {
  readonly code: DataErrorCode;
  readonly params: Record<string, string | number>;
  readonly line?: number;

  constructor(code: DataErrorCode, message: string, params: Record<string, string | number> = {}) {
    super(message);
    this.name = 'DataError';
    this.code = code;
    this.params = params;
    if (typeof params.line === 'number') this.line = params.line;
  }
}

export type DataWarningCode =
  | 'droppedRows'
  | 'unparsableValues'
  | 'reversed'
  | 'sorted'
  | 'duplicateDates'
  | 'renamedColumns'
  | 'paddedHeader'
  | 'shortRows';

export interface DataWarning {
  code: DataWarningCode;
  message: string;
  params: Record<string, string | number>;
}
