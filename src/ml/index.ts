export { type CsvDataset, type LoadCsvOptions, loadCsvColumn, loadCsvDataset, toCsv } from "./dataset.js";
export { accuracy, auc, logLoss, type RocCurve, rocCurve, tprAtFpr } from "./metrics.js";
export { type Activation, argmax, Mlp, type MlpSpec, sigmoid } from "./model.js";
export { type ExportOptions, exportOnnx, ONNX_IO, onnxMetadata, runOnnx } from "./onnx.js";
export { adam, type Optimizer, sgd } from "./optim.js";
export { permutation, type Rng, secureRng, seededRng } from "./random.js";
export { makeClassification, type SyntheticOptions } from "./synthetic.js";
export { columnStats, dot, l2norm, type Matrix, matrix, row, takeRows } from "./tensor.js";
export { type TrainOptions, train } from "./train.js";
