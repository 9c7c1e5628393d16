#!/usr/bin/env python3
"""Import the vendors' CPU catalogues into hwdb/cpu.csv.

Reads the Intel ARK and AMD product-specification files in
../shared/reference/vendor-specs/ (see its README.md), turns each product into
a row of our format (docs/hwdb.md), merges them with the hand-written rows of
hwdb/hand/cpu.csv and writes hwdb/cpu.csv. Python 3 standard library only.
The build never runs this script: the generated CSV is committed.

    python3 hwdb/import_vendor_specs.py [--specs DIR] [--ga FILE] [--check]

The die_area_cm2 column comes from Green Algorithms v3.1's CPUs-manual.csv
(--ga; default: beside the vendor-specs folder), by
hwdb/import_die_areas.py's rules (annotate()).
--check also checks hwdb/gpu.csv's die areas against GPUs-manual.csv (beside
CPUs-manual.csv; import_die_areas.check_gpu()).

--check: write nothing; exit 1 when hwdb/cpu.csv differs from what the
import would write.

Every decision is printed on stdout: skipped products (and why), conflicts
above 5 % between the two Intel files and between a hand row and the
catalogue, and how each was resolved. The rules are in docs/hwdb.md
("Importing the vendors' catalogues").
"""

import argparse
import csv
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SPECS = os.path.join(ROOT, "..", "shared", "reference", "vendor-specs")
HAND = os.path.join(HERE, "hand", "cpu.csv")
OUT = os.path.join(HERE, "cpu.csv")
COLUMNS = ["model", "vendor", "cores", "threads", "tdp_w", "year", "die_area_cm2", "source"]
CONFLICT = 0.05

# Hand rows that win a conflict with the catalogue, and why. A hand row also
# wins when its source explains its figure (it names Green Algorithms, a
# configurable range or the vendor's current page); every conflict is
# printed either way.
HAND_WINS = {
    "Ryzen 9 4900H": "the export's Default TDP column holds the 35-54 W configurable range; "
                     "AMD rates the H-series part at 45 W, as the hand row says",
    "Ryzen 7 4800HS": "AMD's HS parts are its 35 W class (the export gives 45 W default with "
                      "cTDP 35-54 W); the hand row's 35 W kept",
}
HAND_WINS_WORDS = ("GA ", "GA v", "Green Algorithms", "configurable", "cTDP", "155/170")

# Catalogue rows whose figure differs from Green Algorithms' by more than
# 5 %: the reason, appended to the source (tests/test_hwdb.c checks that
# every such difference is explained).
GA_NOTES = {
    "Core 2 Quad Q6600": "GA lists 95 W, the figure of the later G0 stepping; Intel ARK gives "
                         "105 W for the Q6600",
}

# --------------------------------------------------------------- names


def words(name):
    """Our normalised words (a simplified copy of libestimate's rules, used
    only to find the same product in two files)."""
    s = name.split("@")[0]
    s = re.sub(r"\((?:R|TM|tm|r)\)", " ", s)
    s = re.sub(r"\b\d+(?:\.\d+)?\s*[GM]Hz\b", " ", s, flags=re.I)
    s = re.sub(r"\s+w/.*$", "", s)
    s = re.sub(r"\bwith\b.*$", "", s, flags=re.I)
    out = []
    for w in re.findall(r"[A-Za-z0-9]+\+?", s):
        w = w.lower()
        if w in ("intel", "amd", "cpu", "processor"):
            continue
        if len(w) == 1 and w.isalpha() and out and out[-1][-1].isdigit():
            out[-1] += w
            continue
        out.append(w)
    return out


def key(name):
    return " ".join(sorted(words(name)))


def clean_intel(name):
    """'Intel® Core™ i5-7300U Processor' -> 'Core i5-7300U'; None to skip."""
    n = name.replace("Core™2", "Core 2")
    n = n.replace("®", "").replace("™", "").replace("\u200b", "")
    n = re.sub(r"\((?:R|TM)\)", "", n)
    if "," in n or re.search(r"\d\s*[GM]Hz", n, re.I):
        return None  # "Mobile Intel Celeron Processor 1.20 GHz, 256K Cache"
    n = re.sub(r"\s+(with|supporting|for)\s.*$", "", n)
    n = re.sub(r"\bX-series\b", "", n)
    n = re.sub(r"\b[Pp]rocessors?\b", "", n)
    n = re.sub(r"^\s*(Mobile\s+)?Intel\s+", r"\1", n)
    n = re.sub(r"\s+", " ", n).strip()
    if not re.search(r"\d", n) or not re.search(r"[A-Za-z]", n):
        return None
    if n.startswith("Mobile "):
        return None  # Pentium III/4 - M era, named by frequency
    return n


def clean_amd(name):
    """'AMD Ryzen™ 5 2400G with Radeon™ RX Vega 11 Graphics' -> 'Ryzen 5 2400G'."""
    n = name.replace("®", "").replace("™", "").replace("\u200b", "")
    n = re.sub(r"^\d+(st|nd|rd|th) Gen\s+", "", n)
    n = re.sub(r"\s+with\s.*$", "", n)
    n = re.sub(r"\s+APU$", "", n)
    n = re.sub(r"\s*\((OEM Only|AF|\d+W)\)", "", n)
    n = re.sub(r"\s+(Mobile\s+)?Processor\b", "", n)
    n = re.sub(r"\s+Microsoft Surface Edition$", "", n)
    n = re.sub(r"^AMD\s+", "", n)
    n = re.sub(r"\s+", " ", n).strip()
    family = re.match(r"(Ryzen|EPYC|Athlon|Opteron|Phenom|Sempron|FX|PRO|A\d+|E\d+)\b", n)
    if not family and not name.startswith("AMD "):
        return None  # "X940", "B99": bare model numbers without a family
    if not re.search(r"\d", n):
        return None
    return n


def bare_amd(p):
    """A bare model number ('N970', 'B99', '880K with Near Silent Thermal
    Solution') named from the export's own Series column in the form its
    brand string prints: 'Phenom II N970', 'Phenom II X4 B99', 'Athlon X4
    880K'. Returns (model, note for the source) or None when the series
    does not say."""
    n = re.sub(r"\s+with\s.*$", "", p["Name"]).strip()
    if not re.fullmatch(r"[A-Z]?\d{2,3}K?", n):
        return None
    series = p.get("Series", "").replace("\u2122", "")
    note = "; the export names it \"%s\" in the series \"%s\"" % (p["Name"], series)
    m = re.search(r"Phenom II\b", series)
    if m:
        return "Phenom II " + n, note
    m = re.search(r"Business Class - AMD Phenom (X\d)\b", series)
    if m:
        # the business-class B parts are Phenom II dies; their brand string
        # prints "AMD Phenom(tm) II X4 B97 Processor"
        return "Phenom II %s %s" % (m.group(1), n), note + " (a Phenom II part)"
    if re.match(r"Athlon X4\b", series):
        return "Athlon X4 " + n, note
    return None


# --------------------------------------------------------------- numbers


def watts(s):
    """'15 W' / '15W' / '15.0' -> 15.0; None when not a single figure."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*W?\s*", s or "")
    return float(m.group(1)) if m else None


def fmt(v):
    return ("%.2f" % v).rstrip("0").rstrip(".")


def year_of(s):
    """Q1'11 -> 2011; 7/21/2020 -> 2020; Q1 2019 -> 2019."""
    s = s or ""
    m = re.search(r"Q\d'(\d\d)\b", s)
    if m:
        return 2000 + int(m.group(1))
    m = re.search(r"\b(20\d\d|19\d\d)\b", s)
    if m:
        return int(m.group(1))
    m = re.search(r"\d?Q(\d\d)\b|Q\d(\d\d)\b", s)
    if m:
        return 2000 + int(m.group(1) or m.group(2))
    return ""


def amd_range(s):
    """'15-30W', '45/65W', '15 - 30WW', '35-54W', '10-25/25W' -> (lo, hi)."""
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", s or "")]
    if len(nums) >= 2:
        return min(nums), max(nums)
    return None


def base_power_label(model):
    """ARK calls the TDP 'Processor Base Power' from 12th generation Core on."""
    if re.match(r"Core i\d-1[2-9]\d\d\d|Core (Ultra )?\d \d{3}|Core i\d \d\d\d\d", model):
        return True
    if re.match(r"Core i\d 1[2-9]\d\d\d", model):
        return True
    if re.match(r"(N\d\d\d|Core i3-N\d\d\d|Pentium Gold G7\d\d\d|Celeron G6\d\d\d|Celeron 7\d\d\d)", model):
        return True
    return False


# --------------------------------------------------------------- readers

def read_ark_json(path, log):
    rows = {}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for p in data:
        model = clean_intel(p["Name"])
        if not model:
            log.skip("Intel ARK", p["Name"], "no model number (named by frequency or family)")
            continue
        try:
            cores = int(p.get("Total Cores", ""))
        except ValueError:
            log.skip("Intel ARK", p["Name"], "no core count")
            continue
        threads = p.get("Total Threads", "")
        threads = int(threads) if threads.isdigit() else ""
        if threads != "" and threads < cores:
            threads = ""
        full = "Intel " + model
        base = watts(p.get("Processor Base Power"))
        tdp = watts(p.get("TDP"))
        up, down = watts(p.get("Configurable TDP-up")), watts(p.get("Configurable TDP-down"))
        ctdp = ""
        lo, hi = down or tdp or base, up or tdp or base
        if (up or down) and lo and hi:
            ctdp = " (configurable %s-%s W)" % (fmt(lo), fmt(hi))
        if base:
            value, src = base, "Intel ARK: %s, Processor Base Power %s W%s" % (full, fmt(base), ctdp)
        elif tdp:
            value, src = tdp, "Intel ARK: %s, TDP %s W%s" % (full, fmt(tdp), ctdp)
        elif up:
            value = up
            src = ("Intel ARK: %s, no single TDP; configurable TDP %s-%s W, the top "
                   "(configurable TDP-up) chosen" % (full, fmt(down or up), fmt(up)))
        else:
            log.skip("Intel ARK", p["Name"], "no TDP (only a Scenario Design Power, or none)")
            continue
        row = dict(model=model, vendor="Intel", cores=cores, threads=threads,
                   tdp_w=value, year="", source=src)
        k = key(model)
        if k in rows and rows[k]["tdp_w"] != value:
            log.note("Intel ARK lists %s twice (%s W, %s W): the higher kept"
                     % (model, fmt(rows[k]["tdp_w"]), fmt(value)))
            hi, lo = (rows[k], row) if rows[k]["tdp_w"] > value else (row, rows[k])
            hi["source"] += ("; ARK also lists a %s W part under this name: the higher figure "
                             "is the family default" % fmt(lo["tdp_w"]))
            rows[k] = hi
            continue
        rows[k] = row
    return rows


def read_ark_csv(path, log):
    rows = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for p in csv.DictReader(f):
            model = clean_intel(p["cpu_name"])
            if not model:
                log.skip("Intel ARK (2nd file)", p["cpu_name"], "no model number")
                continue
            tdp = watts(p.get("tdp"))
            if not tdp or not p.get("total_cores", "").isdigit():
                log.skip("Intel ARK (2nd file)", p["cpu_name"], "no TDP or no core count")
                continue
            label = "Processor Base Power" if base_power_label(model) else "TDP"
            rows[key(model)] = dict(
                model=model, vendor="Intel", cores=int(p["total_cores"]), threads="",
                tdp_w=tdp, year=year_of(p.get("launch_date")),
                source="Intel ARK: Intel %s, %s %s W" % (model, label, fmt(tdp)))
    return rows


def read_amd(path, log):
    rows = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for p in csv.DictReader(f):
            model, bare_note = clean_amd(p["Name"]), ""
            if not model and bare_amd(p):
                model, bare_note = bare_amd(p)
            if not model:
                log.skip("AMD", p["Name"], "no family name (a bare model number)")
                continue
            cores = p.get("# of CPU Cores", "")
            if not cores.isdigit():
                log.skip("AMD", p["Name"], "no core count")
                continue
            cores = int(cores)
            threads = p.get("# of Threads", "")
            threads = int(threads) if threads.isdigit() and int(threads) >= cores else ""
            default, ctdp = p.get("Default TDP", ""), p.get("AMD Configurable TDP (cTDP)", "")
            full = "AMD " + model
            single = watts(default)
            crange = amd_range(ctdp)
            cnote = " (cTDP %s-%s W)" % (fmt(crange[0]), fmt(crange[1])) if crange else ""
            if single:
                value = single
                src = "AMD product specifications: %s, Default TDP %s W%s" % (full, fmt(value), cnote)
            elif re.fullmatch(r"\s*(\d+)\+\s*W\s*", default):
                value = float(re.findall(r"\d+", default)[0])
                src = ("AMD product specifications: %s, Default TDP \"%s\": %s W chosen%s"
                       % (full, default, fmt(value), cnote))
            elif "/" in default and amd_range(default):
                # EPYC 7001: "155W / 170W", by memory speed: the higher
                value = amd_range(default)[1]
                src = ("AMD product specifications: %s, Default TDP given as %s (by memory "
                       "speed); the higher, %s W, chosen" % (full, default.replace(" ", ""), fmt(value)))
            elif amd_range(default):
                # "35-54W" for the HS parts: the class's nominal TDP is the
                # bottom; the range is the configurable TDP
                lo, hi = amd_range(default)
                value = lo
                src = ("AMD product specifications: %s, Default TDP given as %s; the bottom, %s W "
                       "(the nominal TDP; the rest is the configurable range), chosen"
                       % (full, default.replace(" ", ""), fmt(lo)))
            elif crange:
                value = crange[1]
                src = ("AMD product specifications: %s, no Default TDP; cTDP %s-%s W, the top "
                       "chosen" % (full, fmt(crange[0]), fmt(crange[1])))
            else:
                log.skip("AMD", p["Name"], "no TDP")
                continue
            if re.fullmatch(r"Phenom II \d+T?", model):
                # the brand string has the core count: "Phenom(tm) II X4 965"
                model = model.replace("II ", "II X%d " % cores)
            row = dict(model=model, vendor="AMD", cores=cores, threads=threads, tdp_w=value,
                       year=year_of(p.get("Launch Date")), source=src + bare_note)
            k = key(model)
            if k in rows:
                old = rows[k]
                if old["tdp_w"] != value:
                    # one brand string for two parts: the family default is
                    # the higher figure, and the source says so
                    log.note("AMD lists %s twice (%s W, %s W): the higher kept"
                             % (model, fmt(old["tdp_w"]), fmt(value)))
                    hi, lo = (old, row) if old["tdp_w"] >= value else (row, old)
                    hi["source"] += ("; AMD also lists a %s W part under this name, which its "
                                     "brand string does not tell apart: the higher figure is the "
                                     "family default" % fmt(lo["tdp_w"]))
                    rows[k] = hi
                continue
            rows[k] = row
    for k in [k for k, r in rows.items() if r["model"].startswith("Athlon X4 ")]:
        plain = key(rows[k]["model"].replace("X4 ", ""))
        if plain in rows:
            log.note("AMD lists %s also as %s (a boxed variant): one row kept"
                     % (rows[plain]["model"], rows[k]["model"]))
            del rows[k]
    return rows


# --------------------------------------------------------------- merging


class Log:
    def __init__(self):
        self.skips = []
        self.notes = []
        self.conflicts = []

    def skip(self, where, name, why):
        self.skips.append("skip %s: %r: %s" % (where, name, why))

    def note(self, s):
        self.notes.append(s)

    def conflict(self, s):
        self.conflicts.append(s)


def differs(a, b):
    return abs(a - b) > CONFLICT * max(a, b)


def merge_intel(json_rows, csv_rows, log):
    """The two ARK files: the JSON scrape first; the second file adds rows,
    launch years, and on a conflict the figure the JSON does not have."""
    out = dict(json_rows)
    for k, r in csv_rows.items():
        if k not in out:
            out[k] = r
            continue
        j = out[k]
        if not j["year"]:
            j["year"] = r["year"]
        if differs(j["tdp_w"], r["tdp_w"]):
            # A configurable-only JSON row loses to a single figure; else the
            # JSON (which also carries cTDP and Processor Base Power) wins.
            if "no single TDP" in j["source"]:
                r["threads"] = j["threads"]
                out[k] = r
                log.conflict("Intel ARK files disagree on %s: %s W (configurable only) vs "
                             "%s W: the single figure kept" % (j["model"], fmt(j["tdp_w"]), fmt(r["tdp_w"])))
            else:
                log.conflict("Intel ARK files disagree on %s: %s W vs %s W: the first "
                             "(with its configurable range) kept" % (j["model"], fmt(j["tdp_w"]), fmt(r["tdp_w"])))
    return out


def hand_explains(src):
    return any(w in src for w in HAND_WINS_WORDS) or src.startswith("estimate:")


def merge_hand(hand, cat, log):
    """Hand rows keep their place; a catalogue row of the same model replaces
    a hand row only when they conflict and the hand row gives no reason."""
    out, used = [], set()
    for h in hand:
        k = key(h["model"])
        c = cat.get(k)
        if c is None:
            out.append(h)
            continue
        used.add(k)
        ht = float(h["tdp_w"])
        if differs(ht, c["tdp_w"]):
            if h["model"] in HAND_WINS:
                log.conflict("%s: hand row %s W vs catalogue %s W: hand row kept: %s"
                             % (h["model"], fmt(ht), fmt(c["tdp_w"]), HAND_WINS[h["model"]]))
                out.append(h)
            elif hand_explains(h["source"]):
                log.conflict("%s: hand row %s W (\"%s\") vs catalogue %s W: hand row kept, "
                             "its source explains the figure" % (h["model"], fmt(ht), h["source"], fmt(c["tdp_w"])))
                out.append(h)
            else:
                log.conflict("%s: hand row %s W vs catalogue %s W (%s): catalogue kept"
                             % (h["model"], fmt(ht), fmt(c["tdp_w"]), c["source"]))
                c = dict(c)
                c["model"] = h["model"]
                c["year"] = c["year"] or h["year"]
                out.append(c)
            continue
        # agree: the hand row stays (it may explain a difference with GA);
        # missing threads or year come from the catalogue
        h = dict(h)
        if not h["threads"] and c["threads"]:
            h["threads"] = c["threads"]
        if not h["year"] and c["year"]:
            h["year"] = c["year"]
        out.append(h)
    rest = [r for k, r in cat.items() if k not in used]
    for r in rest:
        if r["model"] in GA_NOTES:
            r["source"] += "; " + GA_NOTES[r["model"]]
    rest.sort(key=lambda r: (r["vendor"], natural(r["model"])))
    return out + rest


def natural(s):
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", s)]


def render(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r["model"], r["vendor"], r["cores"], r["threads"],
                    fmt(float(r["tdp_w"])), r["year"], r.get("die_area_cm2", ""), r["source"]])
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--specs", default=DEFAULT_SPECS)
    ap.add_argument("--ga", default=None)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.specs):
        print("%s: no such folder (../shared/reference/vendor-specs)" % a.specs)
        return 77  # skipped, for CTest
    ga = a.ga or os.path.join(a.specs, "..", "green-algorithms", "ga-data-v3.1", "CPUs-manual.csv")
    if not os.path.isfile(ga):
        print("%s: no such file (the die areas' source)" % ga)
        return 77
    log = Log()
    j = read_ark_json(os.path.join(a.specs, "intel_ark_scrape_cpuinfo.json"), log)
    c = read_ark_csv(os.path.join(a.specs, "intel_cpu_ark_dataset.csv"), log)
    intel = merge_intel(j, c, log)
    amd = read_amd(os.path.join(a.specs, "amd_cpu_desktop_dataset.csv"), log)
    for k, r in read_amd(os.path.join(a.specs, "amd_cpu_server_dataset.csv"), log).items():
        amd.setdefault(k, r)
    cat = dict(intel)
    for k, r in amd.items():
        if k in cat:
            log.note("AMD %s has the same words as Intel %s: AMD row dropped" % (r["model"], cat[k]["model"]))
            continue
        cat[k] = r
    with open(HAND, encoding="utf-8", newline="") as f:
        hand = list(csv.DictReader(f))
    rows = merge_hand(hand, cat, log)
    import import_die_areas  # noqa: E402 (it imports this module)
    die_report = import_die_areas.annotate(rows, ga)
    text = render(rows)
    for s in log.skips:
        print(s)
    for s in log.notes:
        print("note:", s)
    for s in log.conflicts:
        print("conflict > 5 %:", s)
    for s in die_report:
        print("die area:", s)
    print("summary: %d hand rows, %d Intel and %d AMD catalogue rows, %d rows written, "
          "%d skipped, %d conflicts" % (len(hand), len(intel), len(amd), len(rows),
                                         len(log.skips), len(log.conflicts)))
    if a.check:
        with open(OUT, encoding="utf-8") as f:
            same = f.read() == text
        print("hwdb/cpu.csv is %s" % ("up to date" if same else "OUT OF DATE"))
        # hwdb/gpu.csv is written by hand; its die areas come from GA's
        # GPUs-manual.csv (import_die_areas.py --write-gpu)
        gpu_same = import_die_areas.check_gpu(os.path.join(os.path.dirname(ga), "GPUs-manual.csv"))
        print("hwdb/gpu.csv die areas are %s" % ("up to date" if gpu_same else
                                                 "OUT OF DATE (import_die_areas.py --write-gpu)"))
        return 0 if same and gpu_same else 1
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
