/** An optimizer updates parameters in place from a gradient of the same length. */
export interface Optimizer {
  readonly name: string;
  step(params: Float64Array, grad: Float64Array): void;
  config(): Record<string, number | string>;
}

export function sgd(options: { lr: number; momentum?: number }): Optimizer {
  const { lr, momentum = 0 } = options;
  let v: Float64Array | undefined;
  return {
    name: "sgd",
    config: () => ({ optimizer: "sgd", lr, momentum }),
    step(params, grad) {
      if (momentum === 0) {
        for (let i = 0; i < params.length; i++) params[i]! -= lr * grad[i]!;
        return;
      }
      v ??= new Float64Array(params.length);
      for (let i = 0; i < params.length; i++) {
        v[i] = momentum * v[i]! + grad[i]!;
        params[i]! -= lr * v[i]!;
      }
    },
  };
}

/** Adam (Kingma & Ba 2015) with bias correction. */
export function adam(options: { lr: number; beta1?: number; beta2?: number; eps?: number }): Optimizer {
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = options;
  let m: Float64Array | undefined;
  let v: Float64Array | undefined;
  let t = 0;
  return {
    name: "adam",
    config: () => ({ optimizer: "adam", lr, beta1, beta2, eps }),
    step(params, grad) {
      m ??= new Float64Array(params.length);
      v ??= new Float64Array(params.length);
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (let i = 0; i < params.length; i++) {
        const g = grad[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        params[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
      }
    },
  };
}
