"""A Keras 3 model mixing string activations and activation layers.

Keras defaults differ from PyTorch's: LeakyReLU's negative_slope is 0.3,
and "gelu" is the exact erf form unless approximate=True.
"""
import keras
from keras import layers


def build_model(n_features: int = 20, n_classes: int = 4) -> keras.Model:
    inputs = keras.Input(shape=(n_features,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dense(64, activation="gelu")(x)
    x = layers.Dense(64, activation="swish")(x)
    x = layers.Dense(32, activation="elu")(x)
    x = layers.Dense(32, activation="selu", kernel_initializer="lecun_normal")(x)
    x = layers.Dense(32)(x)
    x = layers.LeakyReLU(negative_slope=0.3)(x)
    x = layers.Dense(32)(x)
    x = layers.ReLU(max_value=6.0)(x)
    x = layers.Dense(16)(x)
    x = layers.PReLU()(x)
    x = layers.Dense(16)(x)
    x = layers.ELU(alpha=1.0)(x)
    x = layers.Dense(16, activation="softplus")(x)
    x = layers.Dense(16, activation="tanh")(x)
    x = layers.Dense(16, activation="hard_sigmoid")(x)
    x = layers.Dense(16, activation=keras.activations.mish)(x)
    x = layers.Activation("sigmoid")(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="activation_zoo")


def custom_gelu(x):
    # The tanh approximation, as in GPT-2.
    return keras.activations.gelu(x, approximate=True)


if __name__ == "__main__":
    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.summary()
