"""How often the reports' 95% percentile bootstrap interval of a ratio of means excludes 1.00x
for two arms that do not differ (both drawn from one normal distribution, mean 50, sd 5), with
2 to 5 seeds per arm: the false-positive rate of a verdict, which would be 5% for an exact
interval. Seeded; NumPy only (Debian's python3-numpy).

    /usr/bin/python3 experiments/bootstrap_calibration.py [--trials 1000] [--resamples 2000]
"""
import argparse

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    for seeds in (2, 3, 4, 5):
        excluded = 0
        for _ in range(args.trials):
            x = rng.normal(50, 5, seeds)
            y = rng.normal(50, 5, seeds)
            # Each arm's seeds resampled independently, as the report does.
            rx = rng.choice(x, (args.resamples, seeds)).mean(axis=1)
            ry = rng.choice(y, (args.resamples, seeds)).mean(axis=1)
            low, high = np.percentile(rx / ry, [2.5, 97.5])
            excluded += low > 1 or high < 1
        print(f"{seeds} seeds per arm: the interval excludes 1.00x in {excluded / args.trials:.1%}"
              f" of {args.trials} comparisons of equal arms")


if __name__ == "__main__":
    main()
