import { create } from 'zustand';
import { getTrainingClient, type TrainingClient } from '../worker/client';
import { engineStatus, onEngineStatus, type EngineStatus } from '../worker/engineStatus';
import { useSettings } from './settings';

export type { EngineReason, EngineStatus } from '../worker/engineStatus';

/** The training engine as the status bar shows it, mirrored from the worker client. */
export const useEngineStatus = create<EngineStatus>(() => engineStatus());
onEngineStatus((status) => useEngineStatus.setState(status));

/** The training worker's client, started on the engine the user chose. */
export const trainingClient = (): TrainingClient =>
  getTrainingClient(useSettings.getState().engine);
