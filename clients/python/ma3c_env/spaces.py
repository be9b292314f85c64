"""Gymnasium's Discrete and Box when gymnasium is installed, small stand-ins otherwise.

The stand-ins have the parts an agent uses: `n` / `shape`, `dtype`, `low`, `high`, `sample()`,
`contains()` and `seed()`.
"""

import numpy as np

try:
    from gymnasium.spaces import Box, Discrete  # noqa: F401
    HAVE_GYMNASIUM = True
except ImportError:
    HAVE_GYMNASIUM = False

    class Discrete:
        """The integers 0 .. n-1."""

        def __init__(self, n: int, seed=None):
            self.n = int(n)
            self.shape = ()
            self.dtype = np.dtype(np.int64)
            self.np_random = np.random.default_rng(seed)

        def seed(self, seed=None):
            self.np_random = np.random.default_rng(seed)
            return [seed]

        def sample(self) -> int:
            return int(self.np_random.integers(self.n))

        def contains(self, x) -> bool:
            try:
                value = int(x)
            except (TypeError, ValueError):
                return False
            return value == x and 0 <= value < self.n

        __contains__ = contains

        def __repr__(self) -> str:
            return f"Discrete({self.n})"

        def __eq__(self, other) -> bool:
            return isinstance(other, Discrete) and other.n == self.n

    class Box:
        """Arrays of `shape` and `dtype` with every element in [low, high]."""

        def __init__(self, low, high, shape, dtype=np.uint8, seed=None):
            self.shape = tuple(int(d) for d in shape)
            self.dtype = np.dtype(dtype)
            self.low = np.full(self.shape, low, dtype=self.dtype)
            self.high = np.full(self.shape, high, dtype=self.dtype)
            self.np_random = np.random.default_rng(seed)

        def seed(self, seed=None):
            self.np_random = np.random.default_rng(seed)
            return [seed]

        def sample(self) -> np.ndarray:
            return self.np_random.integers(self.low, self.high, size=self.shape,
                                           dtype=self.dtype, endpoint=True)

        def contains(self, x) -> bool:
            x = np.asarray(x)
            return (x.shape == self.shape and np.can_cast(x.dtype, self.dtype)
                    and bool(np.all(x >= self.low)) and bool(np.all(x <= self.high)))

        __contains__ = contains

        def __repr__(self) -> str:
            return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"

        def __eq__(self, other) -> bool:
            return (isinstance(other, Box) and other.shape == self.shape
                    and other.dtype == self.dtype and np.array_equal(other.low, self.low)
                    and np.array_equal(other.high, self.high))
