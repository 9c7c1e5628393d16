#!/usr/bin/env python3
"""Puts the output parameters first (issue 8's naming pass, the 0.2 API).

    tools/api_reorder.py ROOT [FILE...]

Rewrites every call, declaration and definition of the functions in ORDER
below under ROOT (C sources, headers and Markdown; or only the FILEs given),
moving their arguments to the new order. It is NOT idempotent: run it once on
a tree that uses the old order (CHANGELOG.md, "Output parameters first",
lists each function's old and new order). A call whose argument count does
not match is left alone and reported. The compiler then checks what the
script did: every moved output has a type no input of the same call has.

The layout is kept: the text between arguments (", ", ",\\n    ") stays in
place, the arguments move through it.
"""
import os
import re
import sys

# name: the new position of each old argument, listed in the new order
# (new = [old[i] for i in ORDER[name]]).
ORDER = {
    # carbon.h
    "est_carbon_factors_load": [2, 0, 1, 3],
    "est_carbon_factors_load_files": [3, 0, 1, 2, 4],
    "est_carbon_mix_intensity": [2, 0, 1, 3],
    "est_carbon_provider_parse": [1, 0],
    "est_carbon_fetch": [1, 0, 2],
    "est_carbon_cache_path": [4, 5, 0, 1, 2, 3, 6],
    "est_carbon_forecast_fetch": [1, 0, 2],
    "est_carbon_source_window": [1, 0, 2, 3, 4, 5],
    # the CLI's wrappers of the module's functions (cli/live.c)
    "cli_live_window": [1, 0, 2, 3, 4, 5],
    "cli_live_forecast": [1, 0, 2],
    # common.h
    "est_parse_double": [2, 0, 1],
    "est_parse_double_str": [1, 0],
    "est_parse_fraction": [1, 0],
    "est_parse_count": [1, 0],
    "est_parse_duration": [1, 0],
    "est_parse_time": [2, 0, 1],
    "est_format_time": [1, 2, 0],
    "est_days_from_civil_checked": [3, 0, 1, 2],
    "est_civil_from_days": [1, 2, 3, 0],
    # embodied.h
    "est_embodied_factor": [2, 3, 0, 1],
    # fs.h
    "est_fs_read_file": [2, 3, 0, 1, 4],
    # hwdb.h
    "est_hwdb_resolve": [3, 0, 1, 2, 4],
    "est_hwdb_get": [3, 0, 1, 2],
    "est_hwdb_normalize": [1, 2, 0],
    "est_hwdb_name_key": [1, 2, 0],
    "est_hwdb_entry_field": [2, 0, 1],
    # intensity.h
    "est_intensity_mean": [4, 0, 1, 2, 3, 5],
    "est_intensity_daily": [4, 5, 6, 0, 1, 2, 3, 7],
    "est_intensity_energy_weighted": [4, 0, 1, 2, 3, 5],
    # jobs.h
    "est_jobs_state_parse": [2, 0, 1],
    "est_jobs_reader_stats": [1, 0],
    "est_jobs_account": [3, 0, 1, 2, 4],
    "est_jobs_by_parse": [1, 0],
    "est_jobs_agg_top_users": [1, 2, 0],
    # model.h
    "est_model_scope_parse": [1, 0],
    "est_model_cpu_power_parse": [1, 0],
    # pipeline.h
    "est_estimate_input": [2, 0, 1],
    "est_estimate_note": [2, 0, 1],
    "est_estimate_cpu_entry": [1, 0],
    "est_estimate_gpu_entry": [1, 0],
    "est_estimate_zone": [1, 0],
    "est_estimate_ci_weighted": [1, 0],
    "est_estimate_ci_stats": [1, 0],
    "est_estimate_water": [1, 2, 0],
    "est_estimate_embodied": [1, 0],
    # regions.h
    "est_regions_platform_parse": [1, 0],
    "est_regions_lookup": [2, 0, 1, 3],
    # samples.h
    "est_samples_fill_parse": [1, 0],
    "est_samples_format_parse": [1, 0],
    "est_samples_compute": [1, 0, 2],
    "est_samples_energy_bins": [2, 3, 4, 0, 1, 5],
    "est_samples_stats": [1, 0],
    "est_samples_set_host": [2, 0, 1, 3],
    "est_samples_set_gpu_origin": [2, 3, 0, 1],
    "est_samples_format_time": [1, 2, 0],
    # zones.h
    "est_zones_lookup": [2, 0, 1, 3],
    "est_zones_resolve": [2, 3, 0, 1, 4],
    "est_zones_search": [2, 3, 0, 1],
    "est_zones_water": [2, 3, 0, 1],
}

# Function pointer types the compiler checks but the calls above do not
# cover: (file, old text, new text).
FIXUPS = [
    ("carbon/src/module_entry.c",
     "typedef int (*ecoest_carbon_fetch_fn)(const est_carbon_options *, est_carbon_series *,\n"
     "                                      est_error *);",
     "typedef int (*ecoest_carbon_fetch_fn)(est_carbon_series *, const est_carbon_options *,\n"
     "                                      est_error *);"),
    ("cli/live.c",
     "int (*window)(est_carbon_source *, est_carbon_window **, const est_zone *, double, double,",
     "int (*window)(est_carbon_window **, est_carbon_source *, const est_zone *, double, double,"),
    ("cli/live.c", "return mod.window(src, out, zone,", "return mod.window(out, src, zone,"),
    ("cli/live.c",
     "int (*fn)(const est_carbon_options *, est_carbon_forecast *, est_error *) = NULL;",
     "int (*fn)(est_carbon_forecast *, const est_carbon_options *, est_error *) = NULL;"),
    ("cli/live.c", "return fn(opts, out, err);", "return fn(out, opts, err);"),
]

NAME = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(
    sorted(map(re.escape, ORDER), key=len, reverse=True)) + r")(\s*)\(")
EXTS = (".c", ".h", ".md")
SKIP_DIRS = {".git", "build", "CHANGELOG.md"}


def split_args(text, start):
    """text[start] is just after '('. Returns (pieces, end) where pieces are
    the raw argument texts and end the index of the matching ')', or None."""
    depth, i, cur, pieces = 0, start, start, []
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            q = c
            i += 1
            while i < n and text[i] != q:
                i += 2 if text[i] == "\\" else 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                return None
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                if c != ")":
                    return None
                pieces.append(text[cur:i])
                return pieces, i
            depth -= 1
        elif c == "," and depth == 0:
            pieces.append(text[cur:i])
            cur = i + 1
        i += 1
    return None


def reorder(text, where, report):
    out, pos = [], 0
    for m in NAME.finditer(text):
        if m.start() < pos:
            continue
        name = m.group(1)
        r = split_args(text, m.end())
        if r is None:
            continue
        pieces, end = r
        order = ORDER[name]
        if len(pieces) != len(order):
            line = text.count("\n", 0, m.start()) + 1
            report.append(f"{where}:{line}: {name}: {len(pieces)} arguments, "
                          f"expected {len(order)}: left alone")
            continue
        # the whitespace around each argument stays in its slot
        lead = [p[:len(p) - len(p.lstrip())] for p in pieces]
        trail = [p[len(p.rstrip()):] for p in pieces]
        core = [p.strip() for p in pieces]
        new = [lead[k] + core[order[k]] + trail[k] for k in range(len(order))]
        out.append(text[pos:m.end()])
        out.append(",".join(new))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def files(root):
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS and not x.startswith("build")]
        for f in names:
            if f.endswith(EXTS) and f not in SKIP_DIRS:
                yield os.path.join(d, f)


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    root = argv[1]
    todo = argv[2:] or list(files(root))
    report, changed = [], 0
    for p in todo:
        if os.path.basename(p) == "api_reorder.py":
            continue
        with open(p, encoding="utf-8") as f:
            text = f.read()
        new = reorder(text, os.path.relpath(p, root), report)
        if new != text:
            with open(p, "w", encoding="utf-8") as f:
                f.write(new)
            changed += 1
    for rel, old, new in FIXUPS:
        p = os.path.join(root, rel)
        if os.path.exists(p) and (not argv[2:] or p in todo):
            with open(p, encoding="utf-8") as f:
                text = f.read()
            if old in text:
                with open(p, "w", encoding="utf-8") as f:
                    f.write(text.replace(old, new))
            else:
                report.append(f"{rel}: fixup not applied (text not found)")
    for r in report:
        print(r, file=sys.stderr)
    print(f"{changed} file(s) changed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
