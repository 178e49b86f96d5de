// A TensorFlow.js model using string activations and activation layers.
// Run it from the repository: `node examples/tfjs_model.js`.
import * as tf from '@tensorflow/tfjs';

export function buildModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 8, activation: 'elu' }));
  model.add(tf.layers.dense({ units: 8, activation: 'selu' }));
  model.add(tf.layers.dense({ units: 8, activation: 'swish' }));
  model.add(tf.layers.dense({ units: 8, activation: 'mish' }));
  model.add(tf.layers.dense({ units: 8, activation: 'gelu' }));
  model.add(tf.layers.dense({ units: 8, activation: 'softplus' }));
  model.add(tf.layers.dense({ units: 8, activation: 'softsign' }));
  model.add(tf.layers.dense({ units: 8, activation: 'relu6' }));
  model.add(tf.layers.dense({ units: 8 }));
  model.add(tf.layers.leakyReLU({ alpha: 0.3 }));
  model.add(tf.layers.dense({ units: 8 }));
  model.add(tf.layers.prelu());
  model.add(tf.layers.dense({ units: 8, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 8, activation: 'hardSigmoid' }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  return model;
}

export function tour(x) {
  return {
    relu: tf.relu(x),
    leakyRelu: tf.leakyRelu(x, 0.2),
    elu: tf.elu(x),
    selu: tf.selu(x),
    sigmoid: tf.sigmoid(x),
    tanh: tf.tanh(x),
    softplus: tf.softplus(x),
    relu6: tf.relu6(x),
  };
}

const model = buildModel();
model.summary();
const grid = tf.linspace(-3, 3, 7);
for (const [name, y] of Object.entries(tour(grid))) {
  console.log(name.padStart(10), Array.from(y.dataSync()).map((v) => v.toFixed(3)).join(' '));
}
