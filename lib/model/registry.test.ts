import { describe, expect, it } from 'vitest';
import { MODEL_ID, MODEL_VERSION, defaultAssumptions } from './assumptions';
import { getModel, listModels, modelForBoard } from './registry';

describe('model registry', () => {
  it('finds models by id and version, newest by default', () => {
    expect(listModels().length).toBeGreaterThan(0);
    expect(getModel(MODEL_ID)?.version).toBe(MODEL_VERSION);
    expect(getModel(MODEL_ID, MODEL_VERSION)?.id).toBe(MODEL_ID);
    expect(getModel(MODEL_ID, 999)).toBeNull();
    expect(getModel('no-such-model')).toBeNull();
  });

  it('reads a board saved by an older version with defaults for what it lacks', () => {
    const found = modelForBoard({ modelId: MODEL_ID, modelVersion: 0 });
    expect(found?.upgraded).toBe(true);
    const { conversionRate } = defaultAssumptions();
    const upgraded = found!.model.upgrade({ trainingOutput: 100_000 });
    expect(upgraded.trainingOutput).toBe(100_000);
    expect(upgraded.conversionRate).toBe(conversionRate);
    expect(found!.model.project(upgraded).years.length).toBeGreaterThan(1);
  });

  it('refuses a board made with a newer model than this build knows', () => {
    expect(modelForBoard({ modelId: MODEL_ID, modelVersion: MODEL_VERSION + 1 })).toBeNull();
    expect(modelForBoard({ modelId: MODEL_ID, modelVersion: MODEL_VERSION })?.upgraded).toBe(false);
  });
});
