#!/usr/bin/python3
"""The pandas baseline of bench_samples: read the same sample log and compute
the same figures (means and trapezoid energies per column).

  pandas_means.py FILE                 an ecoest sample log
  pandas_means.py FILE --nvidia-smi    an nvidia-smi CSV log (zone-less
                                       times taken as UTC), per GPU
"""
import sys

import numpy as np
import pandas as pd


def trapz(v, t):
    f = getattr(np, "trapezoid", None) or np.trapz
    return f(v, t)


def ecoest(path):
    df = pd.read_csv(path)
    t = df["time_unix_s"].to_numpy()
    out = {}
    for col in ("cpu_usage_frac", "ram_used_gb", "gpu0_power_w", "gpu1_power_w"):
        v = df[col].to_numpy()
        out[col] = trapz(v, t) / (t[-1] - t[0])
    print(" ".join(f"{k}={v:.6f}" for k, v in out.items()))


def nvidia_smi(path):
    df = pd.read_csv(path, skipinitialspace=True)
    t = pd.to_datetime(df["timestamp"], format="%Y/%m/%d %H:%M:%S.%f")
    df["t"] = (t - pd.Timestamp("1970-01-01")).dt.total_seconds()
    df["p"] = df["power.draw [W]"].str.removesuffix(" W").astype(float)
    df["u"] = df["utilization.gpu [%]"].str.removesuffix(" %").astype(float) / 100.0
    out = []
    for g, d in df.groupby("index"):
        t = d["t"].to_numpy()
        span = t[-1] - t[0]
        out.append(f"gpu{g}={trapz(d['p'].to_numpy(), t) / span:.6f}"
                   f"/{trapz(d['u'].to_numpy(), t) / span:.6f}")
    print(" ".join(out))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[2] == "--nvidia-smi":
        nvidia_smi(sys.argv[1])
    else:
        ecoest(sys.argv[1])
