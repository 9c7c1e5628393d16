#!/usr/bin/env python3
"""Fits ecoest's CPU power curve to measured package power.

    P(u) = TDP x (idle_frac + (max_frac - idle_frac) x f(u)),  f(u) = 2u - u^r

(f from Fan, Weber and Barroso, "Power provisioning for a warehouse-sized
computer", ISCA 2007; r = 1 is linear.) The measurements are CodeCarbon's
load profiles (../shared/reference/vendor-specs/cpu-load-profiles/: RAPL
package power while stressing all logical CPUs at 0..100 % load, 30 s a
step); the TDP of each CPU comes from the vendor datasets beside them.

The 0 % rows read 0.2-1.4 W of package power: no server package idles that
low (the same packages draw 7-43 W at 10 %), so they are taken as an
artifact of the first RAPL reading of the run (its energy delta spans less
than the step) and dropped; the floor is extrapolated from the 10-100 %
rows. u is the measured load (cpu_load / 100), not the target.

Prints libestimate/data/cpu_power_curves.csv (a row per CPU fitted, then
the xeon-ice-lake and default rows, from published figures named in their
source), a blank line, then the residuals of each fit, then the cross-check
of the default row against published SPECpower_ssj2008 results of 2-socket
servers (wall power at active idle and 10..100 % load; the default row's
source names the exponents fitted there):
    python3 fit_cpu_curves.py | sed '/^$/q' | sed '$d' > cpu_power_curves.csv Standard library only:
    python3 libestimate/data/fit_cpu_curves.py [REFERENCE_DIR]
"""
import csv
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    HERE, "..", "..", "..", "shared", "reference", "vendor-specs")
if not os.path.isdir(REF):
    REF = os.path.join(HERE, "..", "..", "..", "..", "shared", "reference", "vendor-specs")

# the family row each profile feeds, and what to look its TDP up by
CPUS = [
    # (profile name part, family, match patterns, vendor dataset, lookup, physical cores)
    ("IntelR_XeonR_CPU_E3-1240_V2", "xeon-e3-v2", "E3-12|E3-15", "intel_cpu_ark_dataset.csv",
     "E3-1240 v2", 4),
    ("IntelR_XeonR_CPU_E5-2620_v3", "xeon-e5-v3", "E5-26", "intel_cpu_ark_dataset.csv",
     "E5-2620 v3", 6),
    ("AMD_EPYC_8024P", "epyc-8004", "EPYC 80", "amd_cpu_server_dataset.csv", "EPYC™ 8024P\"",
     8),
    ("AMD_Ryzen_Threadripper_1950X", "threadripper-1000", "Threadripper 19",
     "amd_cpu_desktop_dataset.csv", "Threadripper™ 1950X\"", 16),
]


# Published SPECpower_ssj2008 results of 2-socket servers: the whole server's
# AC power at the wall (average active power) at active idle, then at 10 %,
# 20 % .. 100 % of its calibrated ssj throughput. SPEC's own result pages were
# not reachable from where this table was written; each row names the result
# and the public file its figures were read from (checked 2026-12-04).
# (name, CPU, sockets, vendor dataset, lookup, memory GB or None, result, read from,
#  watts at active idle, 10 %, .., 100 %)
SPECPOWER = [
    ("IBM System x3550", "Xeon X5670", 2, "intel_cpu_ark_dataset.csv", "Processor X5670", 12,
     "power_ssj2008-20100315-00239 (spec.org/power_ssj2008/results/res2010q2/)",
     "CloudSim (Cloudslab/cloudsim @476ceef2) PowerModelSpecPowerIbmX3550XeonX5670.java",
     [66, 107, 120, 131, 143, 156, 173, 191, 211, 229, 247]),
    ("IBM System x3550", "Xeon X5675", 2, "intel_cpu_ark_dataset.csv", "Processor X5675", 16,
     "power_ssj2008-20110406-00368 (spec.org/power_ssj2008/results/res2011q2/)",
     "CloudSim (Cloudslab/cloudsim @476ceef2) PowerModelSpecPowerIbmX3550XeonX5675.java",
     [58.4, 98, 109, 118, 128, 140, 153, 170, 189, 205, 222]),
    ("Dell PowerEdge R7425", "EPYC 7601", 2, "amd_cpu_server_dataset.csv", "EPYC™ 7601\"", None,
     "power_ssj2008-20180522-00816 (spec.org/power_ssj2008/results/res2018q2/)",
     "wattproof/wattproof @27a11225 testdata/specpower-dell-r7425-2018.csv",
     [84.9, 138, 154, 168, 182, 197, 214, 234, 253, 271, 287]),
    # Left out: result power_ssj2008-20241007-01464 (Dell PowerEdge R7725, active idle
    # 138 W .. 861 W at 100 %), which wattproof's testdata gives as 2 x EPYC 9965 and
    # Joulie's docs (joulie hardware-modeling page) as 2 x EPYC 9655: the TDP it is
    # set against (1000 W or 800 W) is not known.
]

# What ecoest's node scope adds to the CPU, by default (docs/method.md)
NODE_STATIC_W = 20.0
MEMORY_W_PER_GB = 0.3725


def tdp_of(dataset, key):
    path = os.path.join(REF, dataset)
    with open(path, encoding="utf-8") as f:
        for line in f:
            if key.lower() in line.lower():
                if dataset.startswith("intel"):
                    return float(line.rstrip("\n").split(",")[-1])
                m = re.search(r'"(\d+)W"', line)
                if m:
                    return float(m.group(1))
    raise SystemExit("no TDP for %s in %s" % (key, dataset))


def curve(u, r):
    return 0.0 if u <= 0 else 1.0 if u >= 1 else 2 * u - u ** r


def fit(points):
    """Least squares of P = a + b f(u) for each r in 1.00..2.00; the best."""
    best = None
    for k in range(101):
        r = 1.0 + k / 100.0
        xs = [curve(u, r) for u, _ in points]
        ys = [p for _, p in points]
        n = len(xs)
        mx, my = sum(xs) / n, sum(ys) / n
        sxx = sum((x - mx) ** 2 for x in xs)
        b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
        a = my - b * mx
        if a < 0:  # a floor below 0 W is not physical: pin it at 0
            a, b = 0.0, sum(x * y for x, y in zip(xs, ys)) / sum(x * x for x in xs)
        sse = sum((a + b * x - y) ** 2 for x, y in zip(xs, ys))
        if best is None or sse < best[0]:
            best = (sse, r, a, b)
    return best


def specpower(default):
    """Fits the same curve to each SPECpower result's 10-100 % points (wall power:
    static, memory, fans and the power supply's losses included, so its floor is
    not a package floor) and sets the default row beside it: the shape (r), the
    rise from active idle to full load per W of TDP, and the node scope's
    estimate (default row, 20 W static, 0.3725 W/GB) against each measured level.
    Returns a note for the default row's source and the report lines."""
    _, _, idle_frac, max_frac, r_def, _ = default
    fits, report = [], ["SPECpower_ssj2008 (wall power of 2-socket servers), against the "
                        "default row (idle %.2f, max %.2f, r %.1f), node scope with %g W static "
                        "and %g W/GB:" % (idle_frac, max_frac, r_def, NODE_STATIC_W,
                                          MEMORY_W_PER_GB)]
    for name, cpu, sockets, dataset, key, mem, result, read_from, watts in SPECPOWER:
        tdp = tdp_of(dataset, key) * sockets
        points = [(k / 10.0, float(w)) for k, w in enumerate(watts) if k > 0]
        sse, r, a, b = fit(points)
        rise = (a + b - watts[0]) / tdp
        fits.append((cpu, r, rise))
        report.append("%s, %d x %s (TDP %g W), %s, SPECpower %s, read from %s:" %
                      (name, sockets, cpu, tdp,
                       "%d GB" % mem if mem is not None else "memory not known",
                       result, read_from))
        report.append("    active idle %.1f W (%.3f TDP); fit of 10-100 %%: floor %.1f W, full "
                      "load %.1f W, r %.2f, RMS residual %.1f W; rise from active idle to full "
                      "load %.3f TDP (default row: %.3f)" %
                      (watts[0], watts[0] / tdp, a, a + b, r, (sse / len(points)) ** 0.5, rise,
                       max_frac - idle_frac))
        memw = (mem or 0) * MEMORY_W_PER_GB
        for k, w in enumerate(watts):
            u = k / 10.0
            cur = NODE_STATIC_W + memw + tdp * (idle_frac + (max_frac - idle_frac) * curve(u, r_def))
            lin = NODE_STATIC_W + memw + tdp * u
            report.append("    load %3.0f %%  measured %6.1f W  node+curve %6.1f W (%.3f)  "
                          "node+tdp %6.1f W (%.3f)%s" %
                          (u * 100, w, cur, cur / w, lin, lin / w,
                           "" if mem is not None else "  (memory left out)"))
    note = ("; cross-checked (fit_cpu_curves.py) against SPECpower_ssj2008 wall power of "
            "2-socket servers, 10-100 %% load: r %s, each at the linear bound (wall power "
            "rises at least linearly there, not concave as r %.1f); rise from active idle to "
            "full load %s of TDP, against this row's %.2f: the wall also sees memory, fans "
            "and power supply losses (docs/validation.md)" %
            (", ".join("%.2f (%s)" % (r, cpu) for cpu, r, _ in fits), r_def,
             ", ".join("%.2f" % rise for _, _, rise in fits), max_frac - idle_frac))
    return note, report


def main():
    rows, report = [], []
    for part, family, match, dataset, key, cores in CPUS:
        files = glob.glob(os.path.join(REF, "cpu-load-profiles", "*all_cores-%s*" % part))
        if not files:
            raise SystemExit("no profile for %s under %s" % (part, REF))
        with open(files[0], encoding="utf-8") as f:
            data = list(csv.DictReader(f))
        logical = int(data[0]["cores_used"])
        sockets = max(1, logical // (2 * cores))  # all four have 2 threads a core
        tdp = tdp_of(dataset, key) * sockets
        points = [(float(d["cpu_load"]) / 100.0, float(d["rapl_power"])) for d in data
                  if float(d["cpu_load"]) >= 5.0]
        dropped = [(float(d["cpu_load"]), float(d["rapl_power"])) for d in data
                   if float(d["cpu_load"]) < 5.0]
        sse, r, a, b = fit(points)
        idle, mx = a / tdp, (a + b) / tdp
        src = ("fit_cpu_curves.py: CodeCarbon cpu_load_profiling %s (RAPL package power, "
               "%d socket(s), TDP %g W from %s); 0 %% row dropped" %
               (os.path.basename(files[0]), sockets, tdp, dataset))
        rows.append((family, match, idle, mx, r, src))
        res = [(u, p, a + b * curve(u, r)) for u, p in points]
        rms = (sse / len(points)) ** 0.5
        worst = max(res, key=lambda t: abs(t[2] - t[1]))
        report.append("%s: TDP %g W, floor %.1f W (%.3f TDP), full load %.1f W (%.3f TDP), "
                      "r %.2f; RMS residual %.1f W, worst %.1f W at %.0f %% (%.1f measured, "
                      "%.1f fitted); dropped %s" %
                      (family, tdp, a, idle, a + b, mx, r, rms, worst[2] - worst[1],
                       worst[0] * 100, worst[1], worst[2],
                       ", ".join("%.1f W at %.1f %%" % (p, l) for l, p in dropped)))
        for u, p, q in res:
            report.append("    u %.3f  measured %6.1f W  fitted %6.1f W  residual %+5.1f W" %
                          (u, p, q, q - p))
    # Two rows from published figures, not from a profile.
    server = [row for row in rows if row[0] in ("xeon-e5-v3", "epyc-8004")]
    max_default = round(sum(row[3] for row in server) / len(server), 2)
    ice_idle = 26.0 / 270.0
    rows.append(("xeon-ice-lake", "Xeon Platinum 83|Xeon Gold 63|Xeon Gold 53|Xeon Silver 43",
                 ice_idle, max_default, 1.4,
                 "idle: an Ice Lake Xeon package idles at 25-27 W in reviews (as quoted in "
                 "ecoest issue 11; the 25 W end not verified; AnandTech, Intel 3rd Gen Xeon "
                 "Scalable (Ice Lake SP) Review, 2021, page Power & Efficiency - 10nm Gains, "
                 "section Package Idle Power: around 27 W per socket at full system idle): "
                 "26 W, the midpoint, / the Xeon Platinum 8380's 270 W TDP = %.3f; max_frac "
                 "and exponent: the default row's" % ice_idle))
    rows.append(("default", "*", round(ice_idle, 2), max_default, 1.4,
                 "idle_frac %.2f: the Ice Lake review floor (26 W of 270 W, %.3f; AnandTech's "
                 "27 W per socket gives 0.100) rounded; "
                 "max_frac %.2f: the mean full-load package power of the two server CPUs "
                 "fitted in this file (E5-2620 v3 %.3f, EPYC 8024P %.3f); exponent 1.4: Fan, "
                 "Weber and Barroso, ISCA 2007 (whole-server power against CPU utilisation)" %
                 (round(ice_idle, 2), ice_idle, max_default, server[0][3], server[1][3])))
    spec_notes, spec_report = specpower(rows[-1])
    rows[-1] = rows[-1][:5] + (rows[-1][5] + spec_notes,)
    report.append("")
    report.extend(spec_report)
    print("family,match,idle_frac,max_frac,exponent,source")
    for family, match, idle, mx, r, src in rows:
        print("%s,%s,%.3f,%.3f,%.2f,\"%s\"" % (family, match, idle, mx, r, src))
    print()
    print("\n".join(report))


if __name__ == "__main__":
    main()
