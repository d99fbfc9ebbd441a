import { describe, expect, it } from 'vitest';
import { MODEL_ID, MODEL_VERSION } from './assumptions';
import { PROGRAMME_IDS, V1_PROGRAMME, getModel, listModels, modelForBoard } from './registry';

describe('model registry', () => {
  it('finds models by id and version, newest by default', () => {
    expect(listModels().map((m) => m.version)).toEqual([1, 2]);
    expect(getModel(MODEL_ID)?.version).toBe(MODEL_VERSION);
    expect(getModel(MODEL_ID, 1)?.version).toBe(1);
    expect(getModel(MODEL_ID, 999)).toBeNull();
    expect(getModel('no-such-model')).toBeNull();
  });

  it('reads a board with the version it records and offers the newer one', () => {
    const v1 = modelForBoard({ modelId: MODEL_ID, modelVersion: 1 });
    expect(v1?.model.version).toBe(1);
    expect(v1?.newer?.version).toBe(2);
    const v2 = modelForBoard({ modelId: MODEL_ID, modelVersion: 2 });
    expect(v2?.model.version).toBe(2);
    expect(v2?.newer).toBeNull();
  });

  it('refuses a board made with a model or version this build does not know', () => {
    expect(modelForBoard({ modelId: MODEL_ID, modelVersion: MODEL_VERSION + 1 })).toBeNull();
    expect(modelForBoard({ modelId: 'other', modelVersion: 1 })).toBeNull();
  });

  it('v1 has no programme assumptions and reads any stored programme value as never-ending', () => {
    const v1 = getModel(MODEL_ID, 1)!;
    for (const id of PROGRAMME_IDS) expect(v1.assumptionIds).not.toContain(id);
    expect(
      v1.readValues({ programmeYears: 3, programmeStart: 2030, trainingOutput: 9_000 }),
    ).toMatchObject({ ...V1_PROGRAMME, trainingOutput: 9_000 });
    // 2024 + 20 years of intake covers every horizon the model allows.
    expect(V1_PROGRAMME.programmeStart + V1_PROGRAMME.programmeYears - 1).toBeGreaterThanOrEqual(
      v1.assumptions.horizon.max,
    );
  });

  it('v2 has every assumption, defaulting to 40,000 a year for 5 years from 2024', () => {
    const v2 = getModel(MODEL_ID, 2)!;
    for (const id of PROGRAMME_IDS) expect(v2.assumptionIds).toContain(id);
    expect(v2.defaults()).toMatchObject({
      trainingOutput: 40_000,
      programmeStart: 2024,
      programmeYears: 5,
    });
  });
});
