"""A Flax (linen) MLP and the jax.nn activation functions.

Mind JAX's defaults: jax.nn.gelu uses the tanh approximation unless
approximate=False, and jax.nn.leaky_relu's negative_slope is 0.01.
"""
import jax
import jax.numpy as jnp
import flax.linen as nn


class MLP(nn.Module):
    hidden: int = 64
    out: int = 10

    @nn.compact
    def __call__(self, x: jnp.ndarray) -> jnp.ndarray:
        x = nn.Dense(self.hidden)(x)
        x = jax.nn.silu(x)
        x = nn.Dense(self.hidden)(x)
        x = jax.nn.gelu(x, approximate=False)
        x = nn.Dense(self.hidden)(x)
        x = nn.relu(x)
        x = nn.Dense(self.hidden)(x)
        x = jax.nn.leaky_relu(x, negative_slope=0.2)
        x = nn.Dense(self.hidden)(x)
        x = jax.nn.elu(x, alpha=1.0)
        x = nn.Dense(self.out)(x)
        return jax.nn.log_softmax(x)


def tour(x: jnp.ndarray) -> dict:
    return {
        "relu": jax.nn.relu(x),
        "relu6": jax.nn.relu6(x),
        "gelu_tanh": jax.nn.gelu(x),
        "gelu_exact": jax.nn.gelu(x, approximate=False),
        "silu": jax.nn.silu(x),
        "swish": jax.nn.swish(x),
        "selu": jax.nn.selu(x),
        "celu": jax.nn.celu(x, alpha=1.0),
        "softplus": jax.nn.softplus(x),
        "sigmoid": jax.nn.sigmoid(x),
        "hard_tanh": jax.nn.hard_tanh(x),
        "hard_sigmoid": jax.nn.hard_sigmoid(x),
        "hard_swish": jax.nn.hard_swish(x),
        "log_sigmoid": jax.nn.log_sigmoid(x),
        "tanh": jnp.tanh(x),
    }


if __name__ == "__main__":
    key = jax.random.PRNGKey(0)
    model = MLP()
    x = jnp.ones((4, 32))
    params = model.init(key, x)
    print(model.apply(params, x).shape)
    # Derivatives at the kink: JAX picks relu'(0) = 0.
    print(jax.grad(jax.nn.relu)(0.0), jax.vmap(jax.grad(jax.nn.gelu))(jnp.linspace(-2.0, 2.0, 5)))
