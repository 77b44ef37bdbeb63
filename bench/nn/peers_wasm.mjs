// The seed net with the same weights in TF.js (wasm backend, SIMD, one thread) and in
// onnxruntime-web (wasm, SIMD, one thread), under node: output agreement with our logits,
// batch-1 latency and batch-64 time. The ONNX model is written here with onnx-proto.
//
// usage: node peers_wasm.mjs EXPORT_JSON [--quick]   (prints one JSON object)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const tf = require('@tensorflow/tfjs-core');
const tfwasm = require('@tensorflow/tfjs-backend-wasm');
const ort = require('onnxruntime-web');
const { onnx } = require('onnx-proto');

const [path, ...flags] = process.argv.slice(2);
const quick = flags.includes('--quick');
const data = JSON.parse(readFileSync(path, 'utf8'));
const arch = data.architecture;

// Keras/TensorFlow "same" padding as the engine computes it: [left, right].
function samePadding(length, extent, stride) {
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + extent - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

// Walks the layer list once, tracking shapes, and hands each layer to a builder.
function walk(visit) {
  let channels = arch.input.channels;
  let length = arch.input.time;
  arch.layers.forEach((spec, i) => {
    const w = data.weights[i];
    const info = { spec, w, channels, length };
    if (spec.type === 'conv1d') {
      const d = spec.dilation ?? 1, s = spec.stride ?? 1, extent = (spec.kernel - 1) * d + 1;
      info.pad = spec.padding === 'same' ? samePadding(length, extent, s) : [0, 0];
      channels = spec.filters;
      length = Math.floor((length + info.pad[0] + info.pad[1] - extent) / s) + 1;
    } else if (spec.type === 'maxpool1d') {
      const s = spec.stride ?? spec.pool;
      info.pad = spec.padding === 'same' ? samePadding(length, spec.pool, s) : [0, 0];
      length = Math.floor((length + info.pad[0] + info.pad[1] - spec.pool) / s) + 1;
    } else if (spec.type === 'flatten') {
      channels *= length;
      length = 1;
    } else if (spec.type === 'dense') {
      channels = spec.units;
    } else if (!['relu', 'dropout', 'softmax'].includes(spec.type)) {
      throw new Error(`peers_wasm: layer type ${spec.type} is not in this benchmark`);
    }
    visit(info);
  });
}

// ---- TF.js: channels-last like the engine, so weights only need transposing.
function tfjsModel() {
  const steps = [];
  walk(({ spec, w, channels, pad }) => {
    if (spec.type === 'conv1d') {
      const [co, ci, k] = [spec.filters, channels, spec.kernel];
      const filter = tf.transpose(tf.tensor3d(w.weight, [co, ci, k]), [2, 1, 0]);  // [K][Ci][Co]
      const bias = tf.tensor1d(w.bias);
      const padding = spec.padding === 'same' ? 'same' : 'valid';
      steps.push((x) => tf.add(tf.conv1d(x, filter, spec.stride ?? 1, padding, 'NWC', spec.dilation ?? 1), bias));
    } else if (spec.type === 'maxpool1d') {
      steps.push((x) => {
        const [n, t, c] = x.shape;
        const y = tf.maxPool(tf.reshape(x, [n, t, 1, c]), [spec.pool, 1], [spec.stride ?? spec.pool, 1],
                             spec.padding === 'same' ? 'same' : 'valid');
        return tf.reshape(y, [n, y.shape[1], c]);
      });
    } else if (spec.type === 'relu') {
      steps.push((x) => tf.relu(x));
    } else if (spec.type === 'flatten') {
      steps.push((x) => tf.reshape(x, [x.shape[0], -1]));  // time-major, as the engine
    } else if (spec.type === 'dense') {
      const kernel = tf.transpose(tf.tensor2d(w.weight, [spec.units, channels]));
      const bias = tf.tensor1d(w.bias);
      steps.push((x) => tf.add(tf.matMul(x, kernel), bias));
    }
    void pad;
  });
  return (input, n) => tf.tidy(() => {
    let x = tf.transpose(tf.tensor3d(input, [n, arch.input.channels, arch.input.time]), [0, 2, 1]);
    for (const step of steps) x = step(x);
    return x.dataSync();
  });
}

// ---- ONNX: channels-first; the dense layer after flatten gets its weights permuted.
function onnxBytes() {
  const nodes = [], inits = [];
  let current = 'input', id = 0;
  const name = (p) => `${p}${id++}`;
  const tensor = (n, dims, values) => inits.push(onnx.TensorProto.create({
    name: n, dims, dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(new Float32Array(values).buffer),
  }));
  const ints = (n, v) => onnx.AttributeProto.create({ name: n, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
  const int = (n, v) => onnx.AttributeProto.create({ name: n, type: onnx.AttributeProto.AttributeType.INT, i: v });
  const node = (op, inputs, attribute = []) => {
    const out = name(op);
    nodes.push(onnx.NodeProto.create({ opType: op, input: inputs, output: [out], attribute }));
    current = out;
  };
  let flat = null;
  walk(({ spec, w, channels, length, pad }) => {
    if (spec.type === 'conv1d') {
      const wn = name('W'), bn = name('B');
      tensor(wn, [spec.filters, channels, spec.kernel], w.weight);
      tensor(bn, [spec.filters], w.bias);
      node('Conv', [current, wn, bn], [ints('kernel_shape', [spec.kernel]), ints('pads', pad),
        ints('strides', [spec.stride ?? 1]), ints('dilations', [spec.dilation ?? 1])]);
    } else if (spec.type === 'maxpool1d') {
      node('MaxPool', [current], [ints('kernel_shape', [spec.pool]), ints('pads', pad),
        ints('strides', [spec.stride ?? spec.pool])]);
    } else if (spec.type === 'relu') {
      node('Relu', [current]);
    } else if (spec.type === 'flatten') {
      flat = [channels, length];
      node('Flatten', [current], [int('axis', 1)]);
    } else if (spec.type === 'dense') {
      let weight = w.weight;
      if (flat) {  // engine index t*C + c -> ONNX index c*T + t
        const [c, t] = flat;
        weight = new Array(weight.length);
        for (let o = 0; o < spec.units; ++o)
          for (let ci = 0; ci < c; ++ci)
            for (let ti = 0; ti < t; ++ti) weight[o * c * t + ci * t + ti] = w.weight[o * c * t + ti * c + ci];
        flat = null;
      }
      const wn = name('W'), bn = name('B');
      tensor(wn, [spec.units, channels], weight);
      tensor(bn, [spec.units], w.bias);
      node('Gemm', [current, wn, bn], [int('transB', 1)]);
    }
  });
  const valueInfo = (n, dims) => onnx.ValueInfoProto.create({
    name: n, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const classes = data.logits.length / data.n;
  const graph = onnx.GraphProto.create({
    name: 'seed', node: nodes, initializer: inits,
    input: [valueInfo('input', ['N', arch.input.channels, arch.input.time])],
    output: [valueInfo(current, ['N', classes])],
  });
  const model = onnx.ModelProto.create({ irVersion: 7, producerName: 'ser-bench', opsetImport: [{ version: 13 }], graph });
  return { bytes: onnx.ModelProto.encode(model).finish(), output: current };
}

function agreement(theirs) {
  let diff = 0, scale = 1;
  data.logits.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(v - theirs[i]));
    scale = Math.max(scale, Math.abs(v));
  });
  return diff / scale;
}

async function medianMs(reps, fn) {
  const t = [];
  for (let i = 0; i < reps; ++i) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

const per = arch.input.channels * arch.input.time;
const x1 = Float32Array.from(data.input.slice(0, per));
const x64 = new Float32Array(per * 64).map((_, i) => Math.sin(i * 0.37));
const reps1 = quick ? 20 : 200, reps64 = quick ? 3 : 15;
const result = {};

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);  // one thread, like our module
tfwasm.setWasmPaths(join(here, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
await tf.setBackend('wasm');
await tf.ready();
const tfRun = tfjsModel();
result.tfjs = {
  version: tf.version_core,
  simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  threads: 1,
  agreement: agreement(tfRun(Float32Array.from(data.input), data.n)),
};
for (let i = 0; i < 20; ++i) tfRun(x1, 1);
result.tfjs.batch1_ms = await medianMs(reps1, () => tfRun(x1, 1));
tfRun(x64, 64);
result.tfjs.batch64_ms = await medianMs(reps64, () => tfRun(x64, 64));

ort.env.wasm.numThreads = 1;
const { bytes, output } = onnxBytes();
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
const ortRun = async (input, n) =>
  (await session.run({ input: new ort.Tensor('float32', input, [n, arch.input.channels, arch.input.time]) }))[output].data;
result.ort = { version: ort.env.versions.web, threads: 1,
  agreement: agreement(await ortRun(Float32Array.from(data.input), data.n)) };
for (let i = 0; i < 20; ++i) await ortRun(x1, 1);
result.ort.batch1_ms = await medianMs(reps1, () => ortRun(x1, 1));
await ortRun(x64, 64);
result.ort.batch64_ms = await medianMs(reps64, () => ortRun(x64, 64));

console.log(JSON.stringify(result));
