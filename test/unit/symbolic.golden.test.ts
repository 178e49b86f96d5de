// Golden tests: the printed f′ and f″ of common activations as code writes them, read like a
// textbook (constants folded, no 0·… or 1·…, σ′ = σ(1 − σ), common factors outside). Every
// formula here is also checked numerically: against central differences of f.
import * as assert from 'node:assert/strict';
import { analyzeExpr, compileActivation } from '../../src/engine/symbolic';

const PARAMS = { beta: 1.5, alpha: 0.8, b: 4, scale: 0.9, bias: 0.1 };

const DERIVATIVES: readonly [string, string, string][] = [
  ["x * sigmoid(x)", "sigmoid(x)*(1 + x*(1 - sigmoid(x)))", "sigmoid(x)*(1 - sigmoid(x))*(2 + x*(1 - 2*sigmoid(x)))"],
  ["x * sigmoid(1.702 * x)", "sigmoid(1.702*x)*(1 + 1.702*x*(1 - sigmoid(1.702*x)))", "sigmoid(1.702*x)*(1 - sigmoid(1.702*x))*(3.404 + 2.896804*x*(1 - 2*sigmoid(1.702*x)))"],
  ["x * sigmoid(beta * x)", "sigmoid(beta*x)*(1 + beta*x*(1 - sigmoid(beta*x)))", "beta*sigmoid(beta*x)*(1 - sigmoid(beta*x))*(2 + beta*x*(1 - 2*sigmoid(beta*x)))"],
  ["x * 0.5 * (1 + erf(x / sqrt(2)))", "(1 + erf(x/sqrt(2)) + 2*x*exp(-x**2/2)/sqrt(2*pi))/2", "exp(-x**2/2)*(2 - x**2)/sqrt(2*pi)"],
  ["x * tanh(log(1 + exp(x)))", "tanh(softplus(x)) + x*sigmoid(x)*(1 - tanh(softplus(x))**2)", "sigmoid(x)*(1 - tanh(softplus(x))**2)*(2 + x*(1 - sigmoid(x) - 2*sigmoid(x)*tanh(softplus(x))))"],
  ["relu(x)**2", "2*relu(x)*where(x > 0, 1, 0)", "2*where(x > 0, 1, 0)"],
  ["x * relu6(x + 3) / 6", "(relu6(x + 3) + x*where(x <= -3, 0, where(x >= 3, 0, 1)))/6", "where(x <= -3, 0, where(x >= 3, 0, 1))/3"],
  ["hardswish(x)", "where(x <= -3, 0, where(x < 3, (2*x + 3)/6, 1))", "where(x <= -3, 0, where(x < 3, 1/3, 0))"],
  ["where(x > 0, x, alpha * (exp(x) - 1))", "where(x > 0, 1, alpha*exp(x))", "where(x > 0, 0, alpha*exp(x))"],
  ["max(x, 0.01 * x)", "where(x > 0, 1, where(x < 0, 0.01, 0.505))", "0"],
  ["leaky_relu(x, 0.2)", "where(x > 0, 1, 0.2)", "0"],
  ["x / (1 + abs(x))", "1/(1 + abs(x))**2", "-2*sign(x)/(1 + abs(x))**3"],
  ["log(1 + exp(x))", "sigmoid(x)", "sigmoid(x)*(1 - sigmoid(x))"],
  ["1 / (1 + exp(-x))", "sigmoid(x)*(1 - sigmoid(x))", "sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))"],
  ["tanh(x)", "1 - tanh(x)**2", "-2*tanh(x)*(1 - tanh(x)**2)"],
  ["x * erf(x)", "erf(x) + 2*x*exp(-x**2)/sqrt(pi)", "4*exp(-x**2)*(1 - x**2)/sqrt(pi)"],
  ["(x + sqrt(x**2 + b)) / 2", "(1 + x/sqrt(b + x**2))/2", "b/(2*(b + x**2)**(3/2))"],
  ["x - tanh(x)", "tanh(x)**2", "2*tanh(x)*(1 - tanh(x)**2)"],
  ["exp(-x**2)", "-2*x*exp(-x**2)", "2*exp(-x**2)*(2*x**2 - 1)"],
  ["scale * relu(x)**2 + bias", "2*scale*relu(x)*where(x > 0, 1, 0)", "2*scale*where(x > 0, 1, 0)"],
];

const LATEX: readonly [string, string, string][] = [
  ["x * sigmoid(beta * x)", "x\\,\\sigma\\left(\\beta\\,x\\right)", "\\sigma\\left(\\beta\\,x\\right)\\left(1 + \\beta\\,x\\left(1 - \\sigma\\left(\\beta\\,x\\right)\\right)\\right)"],
  ["x * 0.5 * (1 + erf(x / sqrt(2)))", "\\tfrac12 x\\left(1 + \\operatorname{erf}\\left(\\frac{x}{\\sqrt{2}}\\right)\\right)", "\\tfrac12 \\left(1 + \\operatorname{erf}\\left(\\frac{x}{\\sqrt{2}}\\right) + \\frac{2x\\,e^{-\\tfrac12 x^{2}}}{\\sqrt{2\\pi}}\\right)"],
  ["relu(x)", "\\operatorname{ReLU}\\left(x\\right)", "\\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}"],
  ["x / (1 + abs(x))", "\\frac{x}{1 + \\left|x\\right|}", "\\frac{1}{\\left(1 + \\left|x\\right|\\right)^{2}}"],
  ["where(x > 0, x, alpha * (exp(x) - 1))", "\\begin{cases} x & x > 0 \\\\ \\alpha\\left(e^{x} - 1\\right) & x \\le 0 \\end{cases}", "\\begin{cases} 1 & x > 0 \\\\ \\alpha\\,e^{x} & x \\le 0 \\end{cases}"],
];

describe('symbolic: golden derivatives of common activations', () => {
  for (const [src, df, d2f] of DERIVATIVES) {
    it(`${src}: f′ = ${df}`, () => {
      const a = analyzeExpr(src);
      assert.equal(a.text.df, df);
      assert.equal(a.text.d2f, d2f);
      // and the formulas are right: central differences away from the kinks at 0 and ±3
      const c = compileActivation(a, PARAMS);
      const h = 1e-5;
      for (const x of [-4.1, -2.2, -0.7, 0.45, 1.3, 2.6, 4.4]) {
        const n1 = (c.f(x + h) - c.f(x - h)) / (2 * h);
        const n2 = (c.df(x + h) - c.df(x - h)) / (2 * h);
        assert.ok(Math.abs(c.df(x) - n1) <= 1e-7 * Math.max(1, Math.abs(n1)), `f′(${x}) = ${c.df(x)}, finite difference ${n1}`);
        assert.ok(Math.abs(c.d2f(x) - n2) <= 1e-7 * Math.max(1, Math.abs(n2)), `f″(${x}) = ${c.d2f(x)}, finite difference ${n2}`);
      }
    });
  }

  for (const [src, f, df] of LATEX) {
    it(`LaTeX of ${src}`, () => {
      const a = analyzeExpr(src);
      assert.equal(a.latex.f, f);
      assert.equal(a.latex.df, df);
    });
  }
});
