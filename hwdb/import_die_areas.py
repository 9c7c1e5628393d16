#!/usr/bin/env python3
"""Derive the die_area_cm2 column of hwdb/cpu.csv and hwdb/gpu.csv from Green Algorithms v3.1.

Reads ../shared/reference/green-algorithms/ga-data-v3.1/CPUs-manual.csv (its
die_area column, cm2, and each row's own `source` address) and gives a die
area to each hwdb/cpu.csv row whose model is the same product, matched
conservatively:

- the normalised names are the same (import_vendor_specs.key: the words of
  the name, sorted, without Intel/AMD/CPU/Processor), and so are the vendors;
- the GA row is usable: a number from 0.1 to 100 cm2; when GA's comment
  gives the sum of the chiplets ("die size = 8*81 mm2 (7nm) + 416 (12nm)"),
  the sum equals the figure; a techpowerup.com address names this very part
  (its page slug has the model's words); the model is not in REFUSED below;
- no other GA row has the same name with another figure.

Every other GA row is reported, with the reason. The figure is cited as
"die_area_cm2 X: <GA's source address> (GA's comment), via Green Algorithms
v3.1 CPUs-manual.csv", appended to the row's source.

    python3 hwdb/import_die_areas.py [--ga FILE] [--gpu-ga FILE] [--check | --write-gpu]

Without --check: print the report (matched, refused, unmatched) and the mean
die area of the personal-computer (Core, Ryzen, A-series) and server rows of
GA's file, the figures behind carbon/embodied.csv's class defaults.
--check: exit 1 when the die areas of the committed hwdb/cpu.csv are not the
ones this import derives. Exit 77 when GA's file is absent (skipped).

hwdb/import_vendor_specs.py writes hwdb/cpu.csv and calls annotate() below
for the column, so a re-import keeps it: this script never writes that file.

GPUs: GPUs-manual.csv (beside CPUs-manual.csv; its die_area column, cm2, and
each row's source address) gives hwdb/gpu.csv's die_area_cm2, matched as
conservatively:

- the GPU words of the names are the same (gpu_key: lower-case words without
  the brand words NVIDIA, AMD, Tesla and GeForce and without a memory size
  such as "40 GB" or "11GB"), the memory is the same (GA's memory column
  against our memory_gb; a memory size in GA's name must agree with its own
  column) and so is the vendor (the first word of GA's name);
- the GA row is usable: a number from 0.1 to 100 cm2; a techpowerup.com
  address (with or without https://) whose page names this very part (the
  same GPU words, and the same memory when the page's name gives one); the
  model is not in GPU_REFUSED below; no other GA row has the same words and
  memory with another figure;
- exactly one hwdb/gpu.csv row has those words and that memory.

The citation is "die_area_cm2 X: <GA's source address>, via Green Algorithms
v3.1 GPUs-manual.csv" or, when the row's source has no room for it (511
bytes, EST_HWDB_SOURCE_MAX), the shorter "die_area_cm2 X: Green Algorithms
v3.1 GPUs-manual.csv:LINE" (that row gives the address); a row with no room
for either is reported and keeps the class default. hwdb/gpu.csv is written
by hand, so --write-gpu rewrites its die_area_cm2 column and citations in
place (every other field unchanged), and --check checks both files.
import_vendor_specs.py --check runs the GPU check too (check_gpu()).

Python 3 standard library only.
"""

import argparse
import csv
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import import_vendor_specs as imp  # noqa: E402

DEFAULT_GA = os.path.join(ROOT, "..", "shared", "reference", "green-algorithms",
                          "ga-data-v3.1", "CPUs-manual.csv")
DEFAULT_GPU_GA = os.path.join(os.path.dirname(DEFAULT_GA), "GPUs-manual.csv")
CPU = os.path.join(HERE, "cpu.csv")
GPU = os.path.join(HERE, "gpu.csv")
GPU_VIA = "via Green Algorithms v3.1 GPUs-manual.csv"
SOURCE_MAX = 511  # bytes of a source field (EST_HWDB_SOURCE_MAX - 1)
VIA = "via Green Algorithms v3.1 CPUs-manual.csv"
AREA_MIN, AREA_MAX = 0.1, 100.0

# GA rows whose figure is not imported, and why (the row then takes the
# class default of carbon/embodied.csv).
NAPLES = ("EPYC 7001 (Naples) packages hold four 213 mm2 dies (Milan and Genoa rows of "
          "the same file add up their chiplets; these do not): 2.13 cm2 is one die of four")
REFUSED = {
    "AMD EPYC 7251": NAPLES, "AMD EPYC 7261": NAPLES, "AMD EPYC 7281": NAPLES,
    "AMD EPYC 7301": NAPLES, "AMD EPYC 7351": NAPLES, "AMD EPYC 7351P": NAPLES,
    "AMD EPYC 7371": NAPLES, "AMD EPYC 7401": NAPLES, "AMD EPYC 7401P": NAPLES,
    "AMD EPYC 7451": NAPLES, "AMD EPYC 7501": NAPLES, "AMD EPYC 7551": NAPLES,
    "AMD EPYC 7551P": NAPLES, "AMD EPYC 7601": NAPLES,
    "EPYC 7452": "0.74 cm2 is a tenth of every other EPYC 7002/7003 row of the file "
                 "(7.4 to 10.64 cm2): a slipped digit",
}

PERSONAL = re.compile(r"^(AMD\s+)?(Core|Ryzen|A\d+-|Athlon|Pentium|Celeron)\b")


def read_ga(path):
    """GA's rows: one units row, then the header; the 'Average' row is the
    file's mean, not a product."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = list(csv.reader(f))
    header = lines[1]
    out = []
    for n, fields in enumerate(lines[2:], start=3):
        r = dict(zip(header, fields))
        if not r.get("model") or r["model"] == "Average":
            continue
        r["line"] = n
        out.append(r)
    return out


def chiplet_sum(comment):
    """'die size = 8*81 mm² (7nm) + 416 (12nm)' -> 1064 (mm2); None if no sum."""
    m = re.search(r"die size\s*=\s*(.*)$", comment or "")
    if not m:
        return None
    total = 0.0
    for term in m.group(1).split("+"):
        t = re.match(r"\s*(?:(\d+)\s*\*\s*)?(\d+(?:\.\d+)?)", term)
        if not t:
            return None
        total += (int(t.group(1)) if t.group(1) else 1) * float(t.group(2))
    return total


def url_part(url):
    """The part a techpowerup.com page names ('epyc-7313p.c2390' -> 'epyc
    7313p'), None for another site."""
    m = re.search(r"techpowerup\.com/cpu-specs/([^/]+?)\.c\d+", url or "")
    return m.group(1).replace("-", " ") if m else None


def problem(r):
    """Why a GA row cannot be used, or None."""
    if r["model"] in REFUSED:
        return REFUSED[r["model"]]
    try:
        a = float(r["die_area"])
    except ValueError:
        return "die_area %r is not a number" % r["die_area"]
    if not AREA_MIN <= a <= AREA_MAX:
        return "die_area %s cm2 is outside %g..%g" % (r["die_area"], AREA_MIN, AREA_MAX)
    s = chiplet_sum(r.get("comment"))
    if s is not None and abs(s - a * 100.0) > 0.5:
        return "its comment's chiplets add up to %g mm2, not %s cm2" % (s, r["die_area"])
    if not r.get("source", "").startswith("http"):
        return "no source address"
    part = url_part(r["source"])
    if part is not None and imp.key(part) != imp.key(r["model"].replace("+", "")):
        return "its source %s is another part's page" % r["source"]
    return None


def fmt_area(a):
    return ("%.4f" % a).rstrip("0").rstrip(".")


def citation(r):
    c = "die_area_cm2 %s: %s" % (fmt_area(float(r["die_area"])), r["source"])
    comment = (r.get("comment") or "").replace("mm²", "mm2").strip()
    if comment.startswith("die size") or comment.endswith("configuration"):
        c += " (%s)" % comment
    return c + ", " + VIA


def derive(ga_rows, cpu_rows):
    """(areas, report): areas maps our model to (cm2 text, citation);
    report is a list of lines."""
    report, usable = [], {}
    by_key = {}
    for r in ga_rows:
        by_key.setdefault(imp.key(r["model"]), []).append(r)
    for k, rs in by_key.items():
        figures = sorted(set(r["die_area"] for r in rs))
        for r in rs:
            why = problem(r)
            if why is None and len(figures) > 1:
                why = "GA lists the name %d times with different figures (%s)" % (
                    len(rs), ", ".join(figures))
            if why:
                report.append("refused  CPUs-manual.csv:%d %s: %s" % (r["line"], r["model"], why))
            else:
                usable[k] = r
    ours = {}
    for c in cpu_rows:
        ours.setdefault(imp.key(c["model"]), []).append(c)
    areas = {}
    for k, r in sorted(usable.items(), key=lambda kv: kv[1]["line"]):
        cs = ours.get(k, [])
        if not cs:
            report.append("unmatched CPUs-manual.csv:%d %s: no hwdb row has its words (%s)"
                          % (r["line"], r["model"], k))
            continue
        c = cs[0]
        if len(cs) > 1 or (c["vendor"] or "").lower() != (r["Manufacturer"] or "").lower():
            report.append("unmatched CPUs-manual.csv:%d %s: hwdb row %s is of vendor %r, GA "
                          "says %r" % (r["line"], r["model"], c["model"], c["vendor"],
                                       r["Manufacturer"]))
            continue
        areas[c["model"]] = (fmt_area(float(r["die_area"])), citation(r))
        report.append("matched  CPUs-manual.csv:%d %s -> %s: %s cm2"
                      % (r["line"], r["model"], c["model"], areas[c["model"]][0]))
    return areas, report


def class_means(ga_rows):
    """The mean die area of GA's personal-computer rows and of its server
    rows (every row, used or not: GA's own table)."""
    p = [float(r["die_area"]) for r in ga_rows if PERSONAL.match(r["model"])]
    s = [float(r["die_area"]) for r in ga_rows if not PERSONAL.match(r["model"])]
    return (len(p), sum(p) / len(p)), (len(s), sum(s) / len(s))


def annotate(rows, ga_path, out=None):
    """Sets r['die_area_cm2'] ('' when not known) on import_vendor_specs'
    rows and appends the citation to the source. Returns the report."""
    areas, report = derive(read_ga(ga_path), rows)
    for r in rows:
        a = areas.get(r["model"])
        r["die_area_cm2"] = a[0] if a else ""
        if a:
            r["source"] = r["source"] + "; " + a[1]
    if out is not None:
        out.extend(report)
    return report


def strip_citation(src):
    i = src.find("; die_area_cm2 ")
    return src if i < 0 else src[:i]


# ------------------------------------------------------------------ GPUs

# GA rows whose figure is not imported, and why.
GPU_REFUSED = {
    "NVIDIA Tesla K80": "the K80 board holds two GK210 dies of 561 mm2 (hwdb/gpu.csv's K80 row "
                        "is the 300 W, 24 GB board): 5.61 cm2 is one die of two",
}
GPU_BRANDS = ("nvidia", "amd", "tesla", "geforce")
GPU_MEMORY = re.compile(r"\b(\d+)\s*-?\s*gb\b", re.I)


def gpu_key(name):
    """(words, memory GB or None): 'NVIDIA A100 PCIe 40 GB' -> ('a100 pcie', 40)."""
    mem = [int(m) for m in GPU_MEMORY.findall(name)]
    rest = GPU_MEMORY.sub(" ", name)
    ws = [w for w in re.findall(r"[a-z0-9]+", rest.lower()) if w not in GPU_BRANDS]
    return " ".join(ws), (mem[0] if len(mem) == 1 else None)


def gpu_url_part(url):
    """The GPU a techpowerup.com page names ('a100-pcie-40-gb.c3623' -> 'a100
    pcie 40 gb'), None for another site."""
    m = re.search(r"(?:^|//|\.)techpowerup\.com/gpu-specs/([^/]+?)\.c\d+$", url or "")
    return m.group(1).replace("-", " ") if m else None


def gpu_problem(r):
    """Why a GA GPU row cannot be used, or None."""
    if r["model"] in GPU_REFUSED:
        return GPU_REFUSED[r["model"]]
    try:
        a = float(r["die_area"])
    except ValueError:
        return "die_area %r is not a number" % r["die_area"]
    if not AREA_MIN <= a <= AREA_MAX:
        return "die_area %s cm2 is outside %g..%g" % (r["die_area"], AREA_MIN, AREA_MAX)
    try:
        mem = float(r["memory"])
    except ValueError:
        return "memory %r is not a number" % r["memory"]
    words, named = gpu_key(r["model"])
    if named is not None and named != mem:
        return "its name says %d GB, its memory column %s GB" % (named, r["memory"])
    part = gpu_url_part(r.get("source", ""))
    if part is None:
        return "its source %r is not a techpowerup.com GPU page" % r.get("source", "")
    pw, pm = gpu_key(part)
    if pw != words or (pm is not None and pm != mem):
        return "its source %s is another part's page (%s)" % (r["source"], part)
    return None


def gpu_citations(r):
    """The long citation, then the short one."""
    a = fmt_area(float(r["die_area"]))
    return ("die_area_cm2 %s: %s, %s" % (a, r["source"], GPU_VIA),
            "die_area_cm2 %s: Green Algorithms v3.1 GPUs-manual.csv:%d" % (a, r["line"]))


def derive_gpu(ga_rows, gpu_rows):
    """(areas, report) for hwdb/gpu.csv's rows (their sources without a
    die-area citation): areas maps our model to (cm2 text, citation)."""
    report, usable, by_key = [], {}, {}
    for r in ga_rows:
        words, _ = gpu_key(r["model"])
        by_key.setdefault((words, r["memory"]), []).append(r)
    for k, rs in by_key.items():
        figures = sorted(set(r["die_area"] for r in rs))
        for r in rs:
            why = gpu_problem(r)
            if why is None and len(figures) > 1:
                why = "GA lists the name %d times with different figures (%s)" % (
                    len(rs), ", ".join(figures))
            if why:
                report.append("refused  GPUs-manual.csv:%d %s: %s" % (r["line"], r["model"], why))
            else:
                usable[k] = r
    ours = {}
    for g in gpu_rows:
        try:
            mem = float(g["memory_gb"])
        except ValueError:
            continue
        ours.setdefault((gpu_key(g["model"])[0], mem), []).append(g)
    areas = {}
    for (words, _), r in sorted(usable.items(), key=lambda kv: kv[1]["line"]):
        gs = ours.get((words, float(r["memory"])), [])
        vendor = r["model"].split()[0]
        if len(gs) != 1:
            report.append("unmatched GPUs-manual.csv:%d %s: %d hwdb rows have its words (%s) "
                          "and %s GB" % (r["line"], r["model"], len(gs), words, r["memory"]))
            continue
        g = gs[0]
        if g["vendor"].lower() != vendor.lower():
            report.append("unmatched GPUs-manual.csv:%d %s: hwdb row %s is of vendor %r, GA "
                          "says %r" % (r["line"], r["model"], g["model"], g["vendor"], vendor))
            continue
        room = SOURCE_MAX - len((g["source"] + "; ").encode("utf-8"))
        cite = [c for c in gpu_citations(r) if len(c.encode("utf-8")) <= room]
        if not cite:
            report.append("refused  GPUs-manual.csv:%d %s: hwdb row %s's source has %d bytes "
                          "left, too few for the citation" % (r["line"], r["model"], g["model"],
                                                              max(room, 0)))
            continue
        areas[g["model"]] = (fmt_area(float(r["die_area"])), cite[0])
        report.append("matched  GPUs-manual.csv:%d %s -> %s: %s cm2%s"
                      % (r["line"], r["model"], g["model"], areas[g["model"]][0],
                         "" if cite[0] == gpu_citations(r)[0] else " (short citation)"))
    return areas, report


GPU_COLUMNS = ["model", "vendor", "tdp_w", "idle_w", "memory_gb", "form_factor", "year",
               "die_area_cm2", "source"]


def gpu_rows_text(ga_path, gpu_path):
    """(text, report): hwdb/gpu.csv as it should be, every field but the die
    area and its citation as committed."""
    with open(gpu_path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["source"] = strip_citation(r["source"])
    areas, report = derive_gpu(read_ga(ga_path), rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(GPU_COLUMNS)
    for r in rows:
        a = areas.get(r["model"])
        r["die_area_cm2"] = a[0] if a else ""
        if a:
            r["source"] = r["source"] + "; " + a[1]
        w.writerow([r.get(c, "") for c in GPU_COLUMNS])
    return buf.getvalue(), report


def check_gpu(ga_path=DEFAULT_GPU_GA, gpu_path=GPU):
    """True when hwdb/gpu.csv's die areas are the ones derived (for
    import_vendor_specs.py --check)."""
    text, _ = gpu_rows_text(ga_path, gpu_path)
    with open(gpu_path, encoding="utf-8", newline="") as f:
        return f.read() == text


def main_gpu(a):
    text, report = gpu_rows_text(a.gpu_ga, a.gpu)
    for line in sorted(report, key=lambda s: (s.split()[0],
                                              int(re.search(r"\.csv:(\d+) ", s).group(1)))):
        print(line)
    print("summary (GPUs): %d GA rows, %d hwdb rows with a die area, %d refused, %d unmatched"
          % (len(read_ga(a.gpu_ga)), sum(1 for s in report if s.startswith("matched")),
             sum(1 for s in report if s.startswith("refused")),
             sum(1 for s in report if s.startswith("unmatched"))))
    with open(a.gpu, encoding="utf-8", newline="") as f:
        same = f.read() == text
    if a.write_gpu and not same:
        tmp = a.gpu + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, a.gpu)
        print("hwdb/gpu.csv written")
        return 0
    print("hwdb/gpu.csv die areas are %s" % ("up to date" if same else "OUT OF DATE"))
    return 0 if same or not a.check else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ga", default=DEFAULT_GA)
    ap.add_argument("--cpu", default=CPU)
    ap.add_argument("--gpu-ga", default=DEFAULT_GPU_GA)
    ap.add_argument("--gpu", default=GPU)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--write-gpu", action="store_true",
                    help="rewrite hwdb/gpu.csv's die_area_cm2 column and citations")
    a = ap.parse_args()
    if not os.path.isfile(a.ga) or not os.path.isfile(a.gpu_ga):
        print("%s or %s: no such file (../shared/reference/green-algorithms)" % (a.ga, a.gpu_ga))
        return 77
    if a.check and a.write_gpu:
        print("--check and --write-gpu: give one")
        return 2
    gpu_rc = main_gpu(a)
    if a.write_gpu:
        return gpu_rc
    ga = read_ga(a.ga)
    with open(a.cpu, encoding="utf-8", newline="") as f:
        committed = list(csv.DictReader(f))
    rows = [dict(r, source=strip_citation(r["source"])) for r in committed]
    report = annotate(rows, a.ga)
    for line in sorted(report, key=lambda s: (s.split()[0],
                                              int(re.search(r"\.csv:(\d+) ", s).group(1)))):
        print(line)
    n = sum(1 for r in rows if r["die_area_cm2"])
    (np_, mp), (ns, ms) = class_means(ga)
    print("summary: %d GA rows, %d hwdb rows with a die area, %d refused, %d unmatched"
          % (len(ga), n, sum(1 for s in report if s.startswith("refused")),
             sum(1 for s in report if s.startswith("unmatched"))))
    print("class means of GA's table: %d personal-computer rows (Core, Ryzen, A-series) "
          "%.4f cm2; %d server rows %.4f cm2" % (np_, mp, ns, ms))
    if a.check:
        bad = [c["model"] for c, r in zip(committed, rows)
               if c.get("die_area_cm2", "") != r["die_area_cm2"] or c["source"] != r["source"]]
        for m in bad[:20]:
            print("differs: %s" % m)
        print("hwdb/cpu.csv die areas are %s" % ("OUT OF DATE" if bad else "up to date"))
        return 1 if bad or gpu_rc else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
