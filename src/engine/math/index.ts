// Special functions for the activation engine (pure TypeScript, float64).
export { erf, erfc, erfcx, expNegSq } from './erf';
export { INV_SQRT_2PI, normalCdf, normalPdf, normalPdfCdf } from './normal';
export { logSigmoid, sigmoid, sigmoidPrime, softplus } from './logistic';
export { sech2, tanhshrink } from './hyperbolic';
