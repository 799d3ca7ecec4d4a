import type { Mlp } from "./model.js";
import type { Optimizer } from "./optim.js";
import { permutation, type Rng } from "./random.js";
import { type Matrix, row } from "./tensor.js";

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: Optimizer;
  rng: Rng;
  /** L2 penalty on all parameters (added to the mean gradient). */
  weightDecay?: number;
  onEpoch?(epoch: number, meanLoss: number): void;
}

/** Plain (non-private) mini-batch training over shuffled epochs; returns the last epoch's mean loss. */
export function train(model: Mlp, X: Matrix, y: ArrayLike<number>, options: TrainOptions): { steps: number; loss: number } {
  const g = new Float64Array(model.size);
  const sum = new Float64Array(model.size);
  let steps = 0;
  let loss = 0;
  for (let e = 0; e < options.epochs; e++) {
    const order = permutation(X.rows, options.rng);
    let total = 0;
    for (let start = 0; start < X.rows; start += options.batchSize) {
      const end = Math.min(X.rows, start + options.batchSize);
      sum.fill(0);
      for (let k = start; k < end; k++) {
        const i = order[k]!;
        total += model.gradient(row(X, i), y[i]!, g);
        for (let j = 0; j < g.length; j++) sum[j]! += g[j]!;
      }
      const n = end - start;
      const wd = options.weightDecay ?? 0;
      for (let j = 0; j < sum.length; j++) sum[j] = sum[j]! / n + wd * model.params[j]!;
      options.optimizer.step(model.params, sum);
      steps++;
    }
    loss = total / X.rows;
    options.onEpoch?.(e, loss);
  }
  return { steps, loss };
}
