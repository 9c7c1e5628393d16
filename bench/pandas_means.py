#!/usr/bin/python3
"""The pandas baseline of bench_samples: read the same sample log and compute
the same figures (means and trapezoid energies per column)."""
import sys

import numpy as np
import pandas as pd


def main(path):
    df = pd.read_csv(path)
    t = df["time_unix_s"].to_numpy()
    out = {}
    for col in ("cpu_usage_frac", "ram_used_gb", "gpu0_power_w", "gpu1_power_w"):
        v = df[col].to_numpy()
        integral = np.trapz(v, t)
        out[col] = integral / (t[-1] - t[0])
    print(" ".join(f"{k}={v:.6f}" for k, v in out.items()))


if __name__ == "__main__":
    main(sys.argv[1])
