#!/usr/bin/env python3
"""Account for every product of the vendors' CPU catalogues: how many each
file holds, how many the import keeps, and why the others are dropped.

    python3 hwdb/account_vendor_specs.py [--specs DIR] [--target N]

Runs the same readers as import_vendor_specs.py (nothing is written) and
prints, per file: its rows, its distinct product names, the rows skipped by
reason, and the distinct products with a usable TDP; then the overlap of the
two Intel files, the merge with the hand rows and the rows of hwdb/cpu.csv.
The last lines compare the target (default 4,500 CPU rows) with the most the
files could give: every distinct product name of the four files, usable TDP
or not, plus every hand row that no file lists. When that bound is below the
target, the target is limited by the data provided, not by the import.
Exit 1 when hwdb/cpu.csv does not hold exactly the usable products and the
hand-only rows (a CTest runs it).
Python 3 standard library only.
"""

import argparse
import collections
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import import_vendor_specs as imp  # noqa: E402


REPEATS = []


class CountingLog(imp.Log):
    def __init__(self):
        super().__init__()
        self.by = collections.Counter()

    def skip(self, where, name, why):
        super().skip(where, name, why)
        self.by[(where, why)] += 1


def raw_names(path):
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as f:
            return [p["Name"] for p in json.load(f)]
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    col = "cpu_name" if rows and "cpu_name" in rows[0] else "Name"
    return [r[col] for r in rows]


def section(title, path, reader, where):
    log = CountingLog()
    rows = reader(path, log)
    names = raw_names(path)
    print("%s (%s)" % (title, os.path.basename(path)))
    print("  %5d rows, %d distinct names" % (len(names), len(set(names))))
    for (w, why), n in sorted(log.by.items(), key=lambda kv: -kv[1]):
        if w == where:
            print("  %5d skipped: %s" % (n, why))
    dup = len(names) - sum(log.by.values()) - len(rows)
    print("  %5d rows repeat a name already read (same words: one product, or one brand "
          "string for two parts -> family default)" % dup)
    print("  %5d distinct products with a usable TDP" % len(rows))
    REPEATS.append(dup)
    return rows, set(names), log


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--specs", default=imp.DEFAULT_SPECS)
    ap.add_argument("--target", type=int, default=4500)
    a = ap.parse_args()
    if not os.path.isdir(a.specs):
        print("%s: no such folder (../shared/reference/vendor-specs)" % a.specs)
        return 77
    p = lambda n: os.path.join(a.specs, n)  # noqa: E731
    j, jn, _ = section("Intel ARK scrape", p("intel_ark_scrape_cpuinfo.json"),
                       imp.read_ark_json, "Intel ARK")
    c, cn, _ = section("Intel ARK, second file", p("intel_cpu_ark_dataset.csv"),
                       imp.read_ark_csv, "Intel ARK (2nd file)")
    d, dn, _ = section("AMD desktop and mobile", p("amd_cpu_desktop_dataset.csv"),
                       imp.read_amd, "AMD")
    s, sn, _ = section("AMD EPYC", p("amd_cpu_server_dataset.csv"), imp.read_amd, "AMD")

    both = set(j) & set(c)
    intel = imp.merge_intel(j, c, imp.Log())
    print("Intel: %d + %d products, %d in both files -> %d distinct"
          % (len(j), len(c), len(both), len(intel)))
    amd = dict(d)
    for k, r in s.items():
        amd.setdefault(k, r)
    print("AMD: %d + %d products, %d in both files -> %d distinct"
          % (len(d), len(s), len(d) + len(s) - len(amd), len(amd)))
    cat = dict(intel)
    clash = 0
    for k, r in amd.items():
        if k in cat:
            clash += 1
            continue
        cat[k] = r
    print("catalogue: %d distinct products (%d AMD names with the words of an Intel one dropped)"
          % (len(cat), clash))

    with open(imp.HAND, encoding="utf-8", newline="") as f:
        hand = list(csv.DictReader(f))
    hand_only = [h for h in hand if imp.key(h["model"]) not in cat]
    vendors = collections.Counter(h["vendor"] for h in hand_only)
    print("hand rows: %d, %d of them products the files list, %d not in any file (%s)"
          % (len(hand), len(hand) - len(hand_only), len(hand_only),
             ", ".join("%s %d" % kv for kv in vendors.most_common())))
    with open(imp.OUT, encoding="utf-8", newline="") as f:
        written = sum(1 for _ in csv.DictReader(f))
    print("hwdb/cpu.csv: %d CPU rows = %d catalogue products + %d hand-only rows: %s"
          % (written, len(cat), len(hand_only),
             "every usable product is a row" if written == len(cat) + len(hand_only)
             else "MISMATCH"))

    # the bound: every distinct product name the files give, usable or not,
    # compared by the import's words of the raw name (so the two Intel files'
    # copies of one product count once), plus every repeated name counted as
    # a product of its own, plus the hand rows no file lists
    raw = set()
    for names in (jn, cn, dn, sn):
        raw |= {imp.key(n.replace("\u00ae", " ").replace("\u2122", " ")) for n in names}
    repeats = sum(n_rep for n_rep in REPEATS)
    bound = len(raw) + repeats + len(hand_only)
    print("bound: %d distinct raw product names in the four files + %d repeated names + "
          "%d hand-only rows = %d" % (len(raw), repeats, len(hand_only), bound))
    if bound < a.target:
        print("target %d: NOT reachable from the data provided (%d short even if every "
              "skipped product had a TDP and every repeated name were two products)"
              % (a.target, a.target - bound))
    else:
        print("target %d: reachable (bound %d)" % (a.target, bound))
    return 0 if written == len(cat) + len(hand_only) else 1


if __name__ == "__main__":
    sys.exit(main())
