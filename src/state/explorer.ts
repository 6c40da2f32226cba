import { create } from 'zustand';
import {
  LESSONS,
  findStateDict,
  lstmFromStateDict,
  resizeToyCell,
  sequenceFromCsv,
  sequencesFromJson,
  withForgetGate,
  GATE_KEYS,
  type GateKey,
  type LessonId,
  type StateDict,
} from '../core/index';

/**
 * The Cell explorer's state: where the weights and the sequence come from (a toy lesson, a
 * model another view sent, or an import), and where in the sequence the user is looking.
 */
export type ExplorerMode = 'toy' | 'linked' | 'import';

/** A model and one input sequence sent by another view. */
export interface ExplorerSource {
  kind: 'stock' | 'digits' | 'race';
  label: string;
  stateDict: StateDict;
  input: number[][];
  featureNames?: string[];
  /** A Stock lab window: its number and date, so the note can name the epoch being shown. */
  window?: { k: number; date: string };
}

/** The four stages of one step, in the order the seed explains them; 0 shows the whole step. */
export type Stage = 0 | 1 | 2 | 3 | 4;

export interface ImportedCell {
  name: string;
  stateDict: StateDict;
  path: string;
  sequences: number[][][];
  sample: number;
  features?: string[];
}

interface ExplorerState {
  mode: ExplorerMode;
  lesson: LessonId;
  toy: { stateDict: StateDict; input: number[][]; features: string[] };
  linked: ExplorerSource | null;
  /** For a linked Stock lab model: which saved epoch to show (null = follow training live). */
  snapshot: number | null;
  imported: ImportedCell | null;
  importError: string | null;
  step: number;
  stage: Stage;
  subSteps: boolean;
  unit: number;
  layer: number;
  playing: boolean;
  /** The gate whose pre-activation the weights panel takes apart. */
  gate: GateKey;
}

interface ExplorerActions {
  setMode(mode: ExplorerMode): void;
  pickLesson(lesson: LessonId): void;
  setToyWeight(
    name: 'weight_ih' | 'weight_hh' | 'bias_ih',
    row: number,
    col: number,
    v: number,
  ): void;
  setToyInput(step: number, feature: number, v: number): void;
  /** Pins one unit's forget gate to `f` at every step (the "forget ≈ 0.1 / 0.9" presets). */
  setToyForget(unit: number, f: number): void;
  setGate(gate: GateKey): void;
  /** Moves one gate's bias of one unit (a dragged mark on the activation curve). */
  shiftToyBias(gate: GateKey, unit: number, delta: number): void;
  resizeToy(hidden: number): void;
  addToyStep(): void;
  removeToyStep(): void;
  importWeights(file: Blob & { name?: string }): Promise<void>;
  importInput(file: Blob & { name?: string }): Promise<void>;
  pickSample(sample: number): void;
  setSnapshot(index: number | null): void;
  goTo(step: number, stage?: Stage): void;
  next(): void;
  prev(): void;
  setSubSteps(on: boolean): void;
  setUnit(unit: number): void;
  setLayer(layer: number): void;
  setPlaying(playing: boolean): void;
}

const lessonToy = (id: LessonId) => ({
  stateDict: structuredClone(LESSONS[id].stateDict),
  input: LESSONS[id].input.map((r) => [...r]),
  features: LESSONS[id].features,
});

/** Step count of whatever sequence the explorer currently shows (set by the view). */
let sequenceLength = 1;
export function setSequenceLength(n: number): void {
  sequenceLength = Math.max(1, n);
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useExplorer = create<ExplorerState & ExplorerActions>((set, get) => ({
  mode: 'toy',
  lesson: 'remember',
  toy: lessonToy('remember'),
  linked: null,
  snapshot: null,
  imported: null,
  importError: null,
  step: 0,
  stage: 0,
  subSteps: false,
  unit: 0,
  layer: 0,
  playing: false,
  gate: 'f',

  setMode: (mode) => set({ mode, step: 0, stage: 0, unit: 0, layer: 0, playing: false }),
  pickLesson: (lesson) =>
    set({
      mode: 'toy',
      lesson,
      toy: lessonToy(lesson),
      step: 0,
      stage: 0,
      unit: 0,
    }),
  setToyWeight(name, row, col, v) {
    const sd = structuredClone(get().toy.stateDict);
    if (name === 'bias_ih') (sd.bias_ih as number[])[row] = v;
    else (sd[name] as number[][])[row][col] = v;
    set({ toy: { ...get().toy, stateDict: sd } });
  },
  setToyForget(unit, f) {
    const { toy } = get();
    set({ toy: { ...toy, stateDict: withForgetGate(toy.stateDict, unit, f) } });
  },
  setGate: (gate) => set({ gate }),
  shiftToyBias(gate, unit, delta) {
    const bias = get().toy.stateDict.bias_ih as number[];
    const row = GATE_KEYS.indexOf(gate) * (bias.length / 4) + unit;
    get().setToyWeight('bias_ih', row, 0, Math.round((bias[row] + delta) * 1000) / 1000);
  },
  setToyInput(step, feature, v) {
    const input = get().toy.input.map((r) => [...r]);
    input[step][feature] = v;
    set({ toy: { ...get().toy, input } });
  },
  resizeToy(hidden) {
    const { toy } = get();
    const stateDict = resizeToyCell(toy.stateDict, hidden, toy.input[0].length);
    set({ toy: { ...toy, stateDict }, unit: Math.min(get().unit, hidden - 1) });
  },
  addToyStep() {
    const { toy } = get();
    if (toy.input.length >= 16) return;
    set({ toy: { ...toy, input: [...toy.input, toy.input[0].map(() => 0)] } });
  },
  removeToyStep() {
    const { toy, step } = get();
    if (toy.input.length <= 1) return;
    const input = toy.input.slice(0, -1);
    set({ toy: { ...toy, input }, step: Math.min(step, input.length - 1) });
  },

  async importWeights(file) {
    const name = file.name ?? 'state_dict.json';
    try {
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch {
        throw new Error('this file is not JSON');
      }
      const found = findStateDict(json);
      if (!found) {
        throw new Error(
          'no LSTM weights in this JSON (expected keys like weight_ih or weight_ih_l0)',
        );
      }
      const lstm = lstmFromStateDict(found.stateDict); // checks shapes, values and keys
      const inputSize = lstm.layers[0].inputSize;
      const fromFile = sequencesFromJson(json);
      const sequences =
        fromFile && fromFile[0][0]?.length === inputSize
          ? fromFile
          : (get().imported?.sequences.filter((s) => s[0]?.length === inputSize) ?? []);
      set({
        mode: 'import',
        imported: {
          name,
          stateDict: found.stateDict,
          path: found.path,
          sequences: sequences.length > 0 ? sequences : [defaultSequence(inputSize)],
          sample: 0,
        },
        importError: null,
        step: 0,
        stage: 0,
        unit: 0,
        layer: 0,
      });
    } catch (e) {
      set({ importError: `${name}: ${errorText(e)}` });
    }
  },

  async importInput(file) {
    const name = file.name ?? 'input';
    const current = get().imported;
    try {
      const text = await file.text();
      let sequences: number[][][];
      let features: string[] | undefined;
      if (/^\s*[[{]/.test(text)) {
        const seqs = sequencesFromJson(JSON.parse(text));
        if (!seqs) throw new Error('no input found: expected an array, or an object with "input"');
        sequences = seqs;
      } else {
        const csv = sequenceFromCsv(text);
        sequences = [csv.input];
        features = csv.features;
      }
      if (!current) throw new Error('import the weights first, then an input for them');
      const inputSize = lstmFromStateDict(current.stateDict).layers[0].inputSize;
      if (sequences[0][0].length !== inputSize) {
        throw new Error(
          `each step has ${sequences[0][0].length} value(s) but the LSTM reads ${inputSize}`,
        );
      }
      set({
        imported: { ...current, sequences, sample: 0, features },
        importError: null,
        step: 0,
        stage: 0,
      });
    } catch (e) {
      set({ importError: `${name}: ${errorText(e)}` });
    }
  },

  pickSample(sample) {
    const imported = get().imported;
    if (imported) set({ imported: { ...imported, sample }, step: 0, stage: 0 });
  },
  setSnapshot: (snapshot) => set({ snapshot }),

  goTo: (step, stage = 0) => set({ step: Math.max(0, Math.min(sequenceLength - 1, step)), stage }),
  next() {
    const { step, stage, subSteps } = get();
    if (subSteps) {
      if (stage > 0 && stage < 4) return set({ stage: (stage + 1) as Stage });
      if (stage === 0) return set({ stage: 1 });
      if (step < sequenceLength - 1) return set({ step: step + 1, stage: 1 });
      return;
    }
    if (step < sequenceLength - 1) set({ step: step + 1, stage: 0 });
  },
  prev() {
    const { step, stage, subSteps } = get();
    if (subSteps) {
      if (stage > 1) return set({ stage: (stage - 1) as Stage });
      if (step > 0) return set({ step: step - 1, stage: 4 });
      return set({ stage: 0 });
    }
    if (step > 0) set({ step: step - 1, stage: 0 });
  },
  setSubSteps: (subSteps) => set({ subSteps, stage: subSteps ? 1 : 0 }),
  setUnit: (unit) => set({ unit }),
  setLayer: (layer) => set({ layer, unit: 0 }),
  setPlaying: (playing) => set({ playing }),
}));

function defaultSequence(inputSize: number): number[][] {
  return Array.from({ length: 5 }, (_, t) =>
    Array.from({ length: inputSize }, (_, k) => Math.round(Math.sin(t + k) * 100) / 100),
  );
}

/** Hands a model and a sequence to the explorer and switches to it. */
export function openInExplorer(
  source: ExplorerSource,
  at: { step?: number; unit?: number; layer?: number } = {},
): void {
  setSequenceLength(source.input.length);
  useExplorer.setState({
    mode: 'linked',
    linked: source,
    snapshot: null,
    step: at.step ?? 0,
    stage: 0,
    unit: at.unit ?? 0,
    layer: at.layer ?? 0,
    playing: false,
  });
  location.hash = '#/explorer';
}
