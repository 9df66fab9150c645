import { MODEL_FORMAT, MODEL_VERSION } from './model.ts';

/** JSON Schema (draft-07, checked with ajv) of a model document; mirrors model.ts. */
const num = { type: 'number' } as const;
const numArray = { type: 'array', items: num } as const;
const strArray = { type: 'array', items: { type: 'string' } } as const;
const point2 = { type: 'array', items: num, minItems: 2, maxItems: 2 } as const;
const counts = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } as const;

const featureSpace = {
  type: 'object',
  required: ['transform', 'events', 'mean', 'std', 'shrink'],
  additionalProperties: false,
  properties: {
    transform: { const: 'log10-rate-plus-1' },
    events: { ...strArray, minItems: 1 },
    mean: numArray,
    std: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } },
    shrink: { type: 'number', minimum: 0 },
  },
} as const;

export const MODEL_SCHEMA = {
  $id: 'https://vnf-lens/model.schema.json',
  type: 'object',
  required: ['format', 'version', 'name', 'features', 'state', 'loss', 'scenarios', 'provenance'],
  additionalProperties: false,
  properties: {
    format: { const: MODEL_FORMAT },
    version: { const: MODEL_VERSION },
    name: { type: 'string' },
    features: featureSpace,
    state: {
      type: 'object',
      required: ['method', 'features', 'weights', 'neutral', 'bias', 'maxEvidence', 'switchProbability', 'minConfidence', 'fittedOn'],
      additionalProperties: false,
      properties: {
        method: { const: 'logistic-hmm' },
        features: { ...strArray, minItems: 1 },
        weights: numArray,
        neutral: numArray,
        bias: num,
        maxEvidence: { type: 'number', exclusiveMinimum: 0 },
        switchProbability: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.5 },
        minConfidence: { type: 'number', minimum: 0.5, maximum: 1 },
        fittedOn: strArray,
        relative: {
          type: 'object',
          required: ['weights', 'bias', 'minIdle'],
          additionalProperties: false,
          properties: { weights: numArray, bias: num, minIdle: { type: 'integer', minimum: 1 } },
        },
        familiarity: {
          type: 'object',
          required: ['events', 'scale', 'idle', 'processing', 'maxDistance'],
          additionalProperties: false,
          properties: {
            events: { ...strArray, minItems: 1 },
            scale: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } },
            idle: { type: 'array', items: numArray },
            processing: { type: 'array', items: numArray },
            maxDistance: { type: 'number', exclusiveMinimum: 0 },
          },
        },
        levels: {
          type: 'object',
          required: ['jump', 'minSteady', 'idleBand', 'processingRise'],
          additionalProperties: false,
          properties: {
            jump: { type: 'number', exclusiveMinimum: 0 },
            minSteady: { type: 'integer', minimum: 1 },
            idleBand: { type: 'number', minimum: 0 },
            processingRise: { type: 'number', exclusiveMinimum: 0 },
            busyTop: num,
          },
        },
        ownIdle: {
          type: 'object',
          required: ['level', 'intervals'],
          additionalProperties: false,
          properties: { level: num, intervals: { type: 'integer', minimum: 1 }, low: num, movement: { type: 'number', minimum: 0 } },
        },
      },
    },
    loss: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['method', 'basis', 'explainedVariance', 'components', 'weights', 'bias', 'region2d', 'points'],
          additionalProperties: false,
          properties: {
            method: { const: 'pca-logistic' },
            features: featureSpace,
            basis: { type: 'array', minItems: 2, items: numArray },
            explainedVariance: numArray,
            components: { type: 'integer', minimum: 1 },
            weights: numArray,
            bias: num,
            region2d: { type: 'array', items: point2 },
            points: {
              type: 'array',
              items: {
                type: 'object',
                required: ['pc', 'source'],
                additionalProperties: false,
                properties: {
                  pc: point2,
                  loss: { enum: ['lossy', 'clean'] },
                  state: { enum: ['idle', 'processing'] },
                  scenario: { type: 'string' },
                  source: { type: 'string' },
                },
              },
            },
            transient: {
              type: 'object',
              required: ['method', 'lags', 'scale', 'weights', 'bias'],
              additionalProperties: false,
              properties: {
                method: { const: 'delta-logistic' },
                lags: { type: 'integer', minimum: 1 },
                scale: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } },
                weights: numArray,
                bias: num,
              },
            },
          },
        },
      ],
    },
    scenarios: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['method', 'labels', 'centroids', 'prototypes', 'scale'],
          additionalProperties: false,
          properties: {
            method: { const: 'nearest-prototype' },
            labels: {
              type: 'array',
              minItems: 2,
              items: {
                type: 'object',
                required: ['label'],
                additionalProperties: false,
                properties: { label: { type: 'string', minLength: 1 }, rate: num, size: { type: 'string' }, group: { type: 'string' } },
              },
            },
            centroids: { type: 'array', items: numArray },
            prototypes: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['label', 'z'],
                additionalProperties: false,
                properties: { label: { type: 'integer', minimum: 0 }, z: numArray },
              },
            },
            scale: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } },
          },
        },
      ],
    },
    pps: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['method', 'events', 'scale', 'fill', 'weights', 'bias', 'ratio', 'seen', 'heldOutError', 'intervals'],
          additionalProperties: false,
          properties: {
            method: { const: 'ridge-affine-rates' },
            events: { ...strArray, minItems: 1 },
            scale: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } },
            fill: numArray,
            weights: numArray,
            bias: num,
            ratio: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 2, maxItems: 2 },
            seen: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 2, maxItems: 2 },
            heldOutError: { type: 'number', minimum: 0 },
            intervals: { type: 'integer', minimum: 1 },
            running: {
              type: 'object',
              required: ['clock', 'scale', 'fill', 'weights'],
              additionalProperties: false,
              properties: {
                clock: { const: 'task-clock' },
                scale: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } },
                fill: numArray,
                weights: numArray,
                absolute: {
                  type: 'object',
                  required: ['weights', 'bias', 'ratio'],
                  additionalProperties: false,
                  properties: {
                    weights: numArray,
                    bias: num,
                    ratio: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 2, maxItems: 2 },
                  },
                },
              },
            },
          },
        },
      ],
    },
    provenance: {
      type: 'object',
      required: ['created', 'tool', 'host', 'recordings', 'counts'],
      additionalProperties: false,
      properties: {
        created: { type: 'string' },
        tool: { type: 'string' },
        manifest: { type: 'string' },
        host: {
          type: 'object',
          required: ['cpu', 'platform', 'cores'],
          additionalProperties: false,
          properties: { cpu: { type: 'string' }, platform: { type: 'string' }, cores: { type: 'integer' } },
        },
        recordings: {
          type: 'array',
          items: {
            type: 'object',
            required: ['file', 'sha256', 'intervals'],
            additionalProperties: false,
            properties: { file: { type: 'string' }, sha256: { type: 'string' }, intervals: { type: 'integer', minimum: 0 } },
          },
        },
        counts: {
          type: 'object',
          required: ['intervals', 'state', 'loss', 'scenarios'],
          additionalProperties: false,
          properties: { intervals: { type: 'integer', minimum: 0 }, state: counts, loss: counts, scenarios: { type: 'integer', minimum: 0 } },
        },
        notes: strArray,
      },
    },
  },
} as const;
