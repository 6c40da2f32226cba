import { create } from 'zustand';
import {
  PIXELS,
  decodePixel,
  loadDigitModel,
  readDigit,
  type DigitReading,
  type DigitTrainConfig,
  type LstmClassifier,
  type StateDict,
} from '../core/index';
import { useSettings } from './settings';
import type { FromDigits, ToDigits } from '../worker/digitsProtocol';
import type { EngineReport } from '../worker/protocol';

/**
 * The Digit reader's state: the held-out digits, the model that reads (the pretrained one or
 * one trained here), the current image and its row-by-row reading, and a training run.
 */
export interface TestDigits {
  labels: Uint8Array;
  pixels: Uint8Array;
  /** Index of each test digit in the whole 10,000 (what the CLI calls it). */
  index: Int32Array;
}

export type ImageSource = { kind: 'drawn' } | { kind: 'test'; k: number; label: number };

export interface TrainView {
  runId: number;
  status: 'starting' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed';
  config: DigitTrainConfig;
  epoch: number;
  batch: number;
  batches: number;
  /** Per epoch; seconds: its batches' training time in the worker. */
  history: { epoch: number; loss: number; accuracy: number; seconds: number }[];
  confusion: number[][] | null;
  wrong: { k: number; predicted: number }[];
  stateDict: StateDict | null;
  engine: EngineReport | null;
  /** 2 when a second worker computes half of every batch. */
  workers?: 1 | 2;
  error: string | null;
}

export interface DigitsState {
  data: 'idle' | 'loading' | 'ready' | 'failed';
  fraction: number;
  test: TestDigits | null;
  model: LstmClassifier | null;
  modelInfo: {
    source: 'pretrained' | 'trained' | 'imported';
    epochs: number;
    hidden: number;
    name?: string;
  } | null;
  error: string | null;
  /** Why the last import was refused (the model that reads stays as it was). */
  importError: string | null;
  image: Float64Array;
  imageSource: ImageSource;
  reading: DigitReading | null;
  /** The row the animation shows (0..27). */
  row: number;
  /** How many rows' probabilities were shown since the last Read (28 after a full read). */
  rowsShown: number;
  playing: boolean;
  unit: number;
  train: TrainView | null;
  init(): void;
  setDrawing(image: Float64Array): void;
  clear(): void;
  pickTest(k?: number): void;
  read(): void;
  setRow(row: number): void;
  setPlaying(playing: boolean): void;
  setUnit(unit: number): void;
  startTraining(config: DigitTrainConfig): void;
  /** Tests only: makes the worker's WebGPU device report an error. */
  debugGpuError(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  useTrainedModel(): void;
  importModel(file: File): Promise<void>;
}

export const MODEL_URL = './models/digit-lstm.json';
export const DIGITS_URL = './datasets/mnist-10k.bin';

let worker: Worker | null = null;
let nextRun = 1;

/** A test digit as 784 values in 0..1. */
export function testImage(test: TestDigits, k: number): Float64Array {
  return Float64Array.from(test.pixels.subarray(k * PIXELS, (k + 1) * PIXELS), decodePixel);
}

export const useDigits = create<DigitsState>((set, get) => {
  const onMessage = (msg: FromDigits) => {
    const s = get();
    switch (msg.type) {
      case 'loading':
        set({ fraction: msg.fraction });
        return;
      case 'loaded':
        set({ data: 'ready', fraction: 1, test: msg.test });
        return;
    }
    const t = s.train;
    if (!t || msg.runId !== t.runId) {
      if (msg.type === 'failed' && s.data === 'loading')
        set({ data: 'failed', error: msg.message });
      return;
    }
    const patch = (p: Partial<TrainView>) => set({ train: { ...t, ...p } });
    switch (msg.type) {
      case 'engine':
        patch({ engine: msg.report, workers: msg.workers });
        break;
      case 'batch':
        patch({ batch: msg.batch, batches: msg.batches, epoch: msg.epoch });
        break;
      case 'epoch':
        patch({
          epoch: msg.epoch,
          batch: 0,
          history: [
            ...t.history,
            { epoch: msg.epoch, loss: msg.loss, accuracy: msg.accuracy, seconds: msg.epochSeconds },
          ],
          confusion: msg.confusion,
          wrong: msg.wrong,
          stateDict: msg.stateDict,
        });
        break;
      case 'state':
        patch({ status: msg.state });
        break;
      case 'failed':
        patch({ status: 'failed', error: msg.message });
        break;
    }
  };

  const send = (msg: ToDigits) => {
    if (!worker) {
      worker = new Worker(new URL('../worker/digits.worker.ts', import.meta.url), {
        type: 'module',
      });
      worker.onmessage = (e: MessageEvent<FromDigits>) => onMessage(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        worker = null;
        const t = get().train;
        set({
          error: `the digits worker stopped (${e.message || 'unknown error'})`,
          train: t ? { ...t, status: 'failed', error: e.message } : t,
        });
      };
    }
    worker.postMessage(msg);
  };

  // What the reading on show was computed from: Read right after a drawing (which was read as
  // the stroke ended) shows the same reading again instead of a second 20–40 ms pass.
  let readFrom: { model: LstmClassifier; image: Float64Array; reading: DigitReading } | null = null;
  const reread = () => {
    const { model, image, reading } = get();
    // An empty pad has nothing to read (the model would still "see" a digit in it).
    if (!model || !image.some((v) => v > 0)) {
      set({ reading: null });
      return;
    }
    if (readFrom?.model === model && readFrom.image === image && readFrom.reading === reading)
      return;
    const next = readDigit(model, image);
    readFrom = { model, image, reading: next };
    set({ reading: next });
  };

  return {
    data: 'idle',
    fraction: 0,
    test: null,
    model: null,
    modelInfo: null,
    error: null,
    importError: null,
    image: new Float64Array(PIXELS),
    imageSource: { kind: 'drawn' },
    reading: null,
    row: 27,
    rowsShown: 0,
    playing: false,
    unit: 0,
    train: null,

    init() {
      if (get().data !== 'idle') return;
      set({ data: 'loading' });
      send({
        type: 'load',
        runId: 0,
        url: new URL(DIGITS_URL, document.baseURI).href,
      });
      fetch(MODEL_URL)
        .then((r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return r.json();
        })
        .then((file: { hiddenSize: number; epochs: number }) => {
          set({
            model: loadDigitModel(file, Float64Array),
            modelInfo: { source: 'pretrained', epochs: file.epochs, hidden: file.hiddenSize },
          });
          reread();
        })
        .catch((e: unknown) =>
          set({ error: `the pretrained model could not be loaded (${(e as Error).message})` }),
        );
    },
    setDrawing(image) {
      set({ image, imageSource: { kind: 'drawn' }, playing: false });
      reread();
    },
    clear() {
      set({
        image: new Float64Array(PIXELS),
        imageSource: { kind: 'drawn' },
        reading: null,
        playing: false,
      });
    },
    pickTest(k) {
      const { test } = get();
      if (!test) return;
      const pick = k ?? Math.floor(Math.random() * test.labels.length);
      set({
        image: testImage(test, pick),
        imageSource: { kind: 'test', k: pick, label: test.labels[pick] },
        playing: false,
      });
      reread();
      set({ row: 27 });
    },
    read() {
      reread();
      const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      set({ row: reduce ? 27 : 0, playing: !reduce, rowsShown: 1 });
    },
    setRow(row) {
      const next = Math.max(0, Math.min(27, row));
      if (next !== get().row) set({ row: next, rowsShown: get().rowsShown + 1 });
    },
    setPlaying: (playing) => set({ playing }),
    setUnit: (unit) => set({ unit }),

    startTraining(config) {
      const runId = nextRun++;
      set({
        train: {
          runId,
          status: 'starting',
          config,
          epoch: 0,
          batch: 0,
          batches: 0,
          history: [],
          confusion: null,
          wrong: [],
          stateDict: null,
          engine: null,
          error: null,
        },
      });
      send({ type: 'train', runId, config, choice: useSettings.getState().engine });
    },
    pause: () => get().train && send({ type: 'pause', runId: get().train!.runId }),
    resume: () => get().train && send({ type: 'resume', runId: get().train!.runId }),
    stop: () => get().train && send({ type: 'stop', runId: get().train!.runId }),
    debugGpuError: () => send({ type: 'debugGpuError', runId: get().train?.runId ?? 0 }),
    useTrainedModel() {
      const t = get().train;
      if (!t?.stateDict) return;
      const file = {
        format: 'lstm-lab/digit-model',
        hiddenSize: t.config.hiddenSize,
        state_dict: t.stateDict,
      };
      set({
        model: loadDigitModel(file, Float64Array),
        modelInfo: { source: 'trained', epochs: t.epoch, hidden: t.config.hiddenSize },
        importError: null,
      });
      reread();
    },
    async importModel(file) {
      let model: LstmClassifier;
      try {
        let json: unknown;
        try {
          json = JSON.parse(await file.text());
        } catch {
          throw new Error('the file is not JSON');
        }
        model = loadDigitModel(json, Float64Array);
      } catch (e) {
        set({ importError: (e as Error).message });
        return;
      }
      set({
        model,
        modelInfo: { source: 'imported', epochs: 0, hidden: model.hiddenSize, name: file.name },
        importError: null,
      });
      reread();
    },
  };
});
