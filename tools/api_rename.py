#!/usr/bin/env python3
"""The 1.0 naming pass of the public API (issue 8), as a table applied to the tree.

Usage: tools/api_rename.py [--check] [--list] [ROOT]

Applies the table OLD -> NEW below to every tracked text file under ROOT
(default: the repository holding this script), word by word (an identifier is
replaced only when it stands alone: est_ci_mean is renamed, est_ci_mean_x and
est__ci_mean are not). It prints each file it changes with the count per name.

  --check  change nothing; exit 1 when some file still uses an old name.
  --list   print the table as the Markdown rows CHANGELOG.md carries.

The rules the table follows (docs/api.md, "Names"):
  - every function, type and enum constant carries the name of the module
    (header) it lives in: est_<module>_..., EST_<MODULE>_...;
    est_hw_* -> est_hwdb_*, est_ci_* -> est_intensity_*, and so on;
  - a module's row type is the module's name in the singular (est_zone of
    est_zones, est_sample of est_samples, est_job of est_jobs, est_region,
    est_site): those stay;
  - common.h is the core: est_error, est_strerror, est_parse_*, the time
    helpers and the input identifiers (EST_INPUT_*) keep the bare est_ prefix;
  - JSON and CSV keys do not change.

Safe to run on a tree that mixes old and new names, and idempotent: no new
name is an old one, so a second run changes nothing. CHANGELOG.md (which
records the table) and this script are never rewritten. Internal est__ names
and the CLI's cli_ names are not in the table.
"""

import os
import re
import subprocess
import sys

# (old, new), grouped by header. Keep old names unique and never reuse an old
# name as a new one (the checks at the bottom of the table enforce both).
RENAMES = [
    # ecoest/hwdb.h
    ("est_hw_kind", "est_hwdb_kind"),
    ("EST_HW_CPU", "EST_HWDB_CPU"),
    ("EST_HW_GPU", "EST_HWDB_GPU"),
    ("EST_HW_SOURCE_MAX", "EST_HWDB_SOURCE_MAX"),
    ("EST_HW_NOTE_MAX", "EST_HWDB_NOTE_MAX"),
    ("EST_HW_VENDOR_MAX", "EST_HWDB_VENDOR_MAX"),
    ("EST_HW_FORM_FACTOR_MAX", "EST_HWDB_FORM_FACTOR_MAX"),
    ("EST_HW_OTHERS_MAX", "EST_HWDB_OTHERS_MAX"),
    ("est_hw_entry", "est_hwdb_entry"),
    ("est_hw_how", "est_hwdb_how"),
    ("EST_HW_EXACT", "EST_HWDB_EXACT"),
    ("EST_HW_ALIAS", "EST_HWDB_ALIAS"),
    ("EST_HW_FAMILY", "EST_HWDB_FAMILY"),
    ("EST_HW_UNIQUE", "EST_HWDB_UNIQUE"),
    ("est_hw_how_name", "est_hwdb_how_name"),
    ("est_hw_field_type", "est_hwdb_field_type"),
    ("est_hw_field", "est_hwdb_field"),
    ("EST_HW_FIELDS", "EST_HWDB_FIELDS"),
    ("EST_HW_FIELD_NULL", "EST_HWDB_FIELD_NULL"),
    ("EST_HW_FIELD_STRING", "EST_HWDB_FIELD_STRING"),
    ("EST_HW_FIELD_NUMBER", "EST_HWDB_FIELD_NUMBER"),
    ("EST_HW_FIELD_BOOL", "EST_HWDB_FIELD_BOOL"),
    ("est_hw_how_describe", "est_hwdb_how_describe"),
    ("est_hw_match", "est_hwdb_match"),
    ("est_hw_file", "est_hwdb_file"),
    ("EST_HW_FILE_AUTO", "EST_HWDB_FILE_AUTO"),
    ("EST_HW_FILE_CPU", "EST_HWDB_FILE_CPU"),
    ("EST_HW_FILE_GPU", "EST_HWDB_FILE_GPU"),
    ("EST_HW_FILE_ALIASES", "EST_HWDB_FILE_ALIASES"),
    ("est_hw_problem", "est_hwdb_problem"),
    ("est_hw_problem_fn", "est_hwdb_problem_fn"),
    # ecoest/intensity.h
    ("est_ci_point", "est_intensity_point"),
    ("est_ci_stats", "est_intensity_stats"),
    ("est_ci_mean", "est_intensity_mean"),
    ("est_ci_day", "est_intensity_day"),
    ("est_ci_days_in_window", "est_intensity_days_in_window"),
    ("est_ci_daily", "est_intensity_daily"),
    ("est_energy_bin", "est_intensity_energy_bin"),
    ("est_ci_weighted", "est_intensity_weighted"),
    ("est_ci_energy_weighted", "est_intensity_energy_weighted"),
    # ecoest/greenest.h
    ("est_ci_forecast_history", "est_greenest_forecast_history"),
    ("est_window_choice", "est_greenest_choice"),
    ("est_ci_best_window", "est_greenest_best_window"),
    # ecoest/model.h
    ("est_scope", "est_model_scope"),
    ("EST_SCOPE_PROCESS", "EST_MODEL_SCOPE_PROCESS"),
    ("EST_SCOPE_ALLOCATION", "EST_MODEL_SCOPE_ALLOCATION"),
    ("EST_SCOPE_NODE", "EST_MODEL_SCOPE_NODE"),
    ("est_scope_name", "est_model_scope_name"),
    ("est_scope_parse", "est_model_scope_parse"),
    ("est_cpu_power_model", "est_model_cpu_power"),
    ("EST_CPU_POWER_TDP", "EST_MODEL_CPU_POWER_TDP"),
    ("EST_CPU_POWER_CURVE", "EST_MODEL_CPU_POWER_CURVE"),
    ("est_cpu_power_model_name", "est_model_cpu_power_name"),
    ("est_cpu_power_model_parse", "est_model_cpu_power_parse"),
    ("est_cpu_curve", "est_model_cpu_curve"),
    ("est_component", "est_model_component"),
    ("est_equivalents", "est_model_equivalence"),
    ("est_comparison", "est_model_comparison"),
    ("EST_ASSUMPTIONS_MAX", "EST_MODEL_ASSUMPTIONS_MAX"),
    ("EST_ASSUMPTION_MAX", "EST_MODEL_ASSUMPTION_MAX"),
    # ecoest/pipeline.h (module prefix est_estimate_, the pipeline's object)
    ("est_origin", "est_estimate_origin"),
    ("est_origin_name", "est_estimate_origin_name"),
    ("EST_ORIGIN_DEFAULT", "EST_ESTIMATE_ORIGIN_DEFAULT"),
    ("EST_ORIGIN_GIVEN", "EST_ESTIMATE_ORIGIN_GIVEN"),
    ("EST_ORIGIN_HWDB", "EST_ESTIMATE_ORIGIN_HWDB"),
    ("EST_ORIGIN_DETECTED", "EST_ESTIMATE_ORIGIN_DETECTED"),
    ("EST_ORIGIN_MEASURED", "EST_ESTIMATE_ORIGIN_MEASURED"),
    ("EST_ORIGIN_LOG", "EST_ESTIMATE_ORIGIN_LOG"),
    ("EST_ORIGIN_ZONE", "EST_ESTIMATE_ORIGIN_ZONE"),
    ("EST_ORIGIN_LIVE", "EST_ESTIMATE_ORIGIN_LIVE"),
    ("EST_ORIGIN_DERIVED", "EST_ESTIMATE_ORIGIN_DERIVED"),
    ("est_input_info", "est_estimate_input_info"),
    ("EST_INPUT_INFO_VERSION", "EST_ESTIMATE_INPUT_INFO_VERSION"),
    ("est_note_kind", "est_estimate_note_kind"),
    ("EST_NOTE_WARNING", "EST_ESTIMATE_NOTE_WARNING"),
    ("EST_NOTE_ASSUMPTION", "EST_ESTIMATE_NOTE_ASSUMPTION"),
    ("est_note_info", "est_estimate_note_info"),
    ("EST_NOTE_INFO_VERSION", "EST_ESTIMATE_NOTE_INFO_VERSION"),
    ("est_ci_origin", "est_estimate_ci_from"),
    ("EST_CI_GIVEN", "EST_ESTIMATE_CI_GIVEN"),
    ("EST_CI_ZONE", "EST_ESTIMATE_CI_ZONE"),
    ("EST_CI_LIVE", "EST_ESTIMATE_CI_LIVE"),
    ("EST_CI_FALLBACK", "EST_ESTIMATE_CI_FALLBACK"),
    ("est_window_resolve", "est_estimate_window_resolve"),
    # ecoest/samples.h
    ("est_sample_kind", "est_samples_kind"),
    ("EST_SAMPLE_CPU_USAGE_FRAC", "EST_SAMPLES_CPU_USAGE_FRAC"),
    ("EST_SAMPLE_CPU_CORES", "EST_SAMPLES_CPU_CORES"),
    ("EST_SAMPLE_RAM_USED_GB", "EST_SAMPLES_RAM_USED_GB"),
    ("EST_SAMPLE_CPU_PACKAGE_POWER_W", "EST_SAMPLES_CPU_PACKAGE_POWER_W"),
    ("EST_SAMPLE_NODE_POWER_W", "EST_SAMPLES_NODE_POWER_W"),
    ("EST_SAMPLE_GPU_POWER_W", "EST_SAMPLES_GPU_POWER_W"),
    ("EST_SAMPLE_GPU_USAGE_FRAC", "EST_SAMPLES_GPU_USAGE_FRAC"),
    ("EST_SAMPLE_CPU_BUSY_CORES", "EST_SAMPLES_CPU_BUSY_CORES"),
    ("EST_SAMPLE_KINDS", "EST_SAMPLES_KIND_COUNT"),
    ("est_sample_kind_name", "est_samples_kind_name"),
    ("EST_SAMPLE_MISSING", "EST_SAMPLES_MISSING"),
    ("est_sample_is_missing", "est_samples_is_missing"),
    ("EST_FILL_NONE", "EST_SAMPLES_FILL_NONE"),
    ("EST_FILL_HOLD", "EST_SAMPLES_FILL_HOLD"),
    ("EST_FILL_IDLE", "EST_SAMPLES_FILL_IDLE"),
    ("est_idle_source", "est_samples_idle_source"),
    ("est_idle_source_name", "est_samples_idle_source_name"),
    ("EST_IDLE_UNKNOWN", "EST_SAMPLES_IDLE_UNKNOWN"),
    ("EST_IDLE_OPTION", "EST_SAMPLES_IDLE_OPTION"),
    ("EST_IDLE_MEASURED", "EST_SAMPLES_IDLE_MEASURED"),
    ("EST_IDLE_SET", "EST_SAMPLES_IDLE_SET"),
    ("est_bad_row_kind", "est_samples_bad_row_kind"),
    ("est_bad_row_kind_name", "est_samples_bad_row_kind_name"),
    ("EST_BAD_FIELD_COUNT", "EST_SAMPLES_BAD_FIELD_COUNT"),
    ("EST_BAD_NUMBER", "EST_SAMPLES_BAD_NUMBER"),
    ("EST_BAD_NEGATIVE", "EST_SAMPLES_BAD_NEGATIVE"),
    ("EST_BAD_RANGE", "EST_SAMPLES_BAD_RANGE"),
    ("EST_BAD_TIME", "EST_SAMPLES_BAD_TIME"),
    ("EST_BAD_TIME_RANGE", "EST_SAMPLES_BAD_TIME_RANGE"),
    ("EST_BAD_LINE", "EST_SAMPLES_BAD_LINE"),
    ("EST_BAD_ROW_KINDS", "EST_SAMPLES_BAD_ROW_KINDS"),
    ("EST_BAD_ROW_FILE_MAX", "EST_SAMPLES_BAD_ROW_FILE_MAX"),
    ("EST_BAD_ROW_LINES_MAX", "EST_SAMPLES_BAD_ROW_LINES_MAX"),
    ("EST_FORMAT_AUTO", "EST_SAMPLES_FORMAT_AUTO"),
    ("EST_FORMAT_ECOEST", "EST_SAMPLES_FORMAT_ECOEST"),
    ("EST_FORMAT_NVIDIA_SMI", "EST_SAMPLES_FORMAT_NVIDIA_SMI"),
    ("EST_FORMAT_AMD_SMI", "EST_SAMPLES_FORMAT_AMD_SMI"),
    ("EST_FORMAT_ROCM_SMI", "EST_SAMPLES_FORMAT_ROCM_SMI"),
    ("EST_FORMAT_CSV", "EST_SAMPLES_FORMAT_CSV"),
    ("est_tz_offset_fn", "est_samples_tz_offset_fn"),
    ("est_tz_offsets_fn", "est_samples_tz_offsets_fn"),
    ("est_progress_fn", "est_samples_progress_fn"),
    ("est_row_fn", "est_samples_row_fn"),
    ("est_write_fn", "est_samples_write_fn"),
    ("est_samples_read_stats_get", "est_samples_stats"),
    # ecoest/regions.h
    ("est_platform", "est_regions_platform"),
    ("EST_PLATFORM_CLOUD", "EST_REGIONS_PLATFORM_CLOUD"),
    ("EST_PLATFORM_DESKTOP", "EST_REGIONS_PLATFORM_DESKTOP"),
    ("EST_PLATFORM_LAPTOP", "EST_REGIONS_PLATFORM_LAPTOP"),
    ("EST_PLATFORM_LOCAL_SERVER", "EST_REGIONS_PLATFORM_LOCAL_SERVER"),
    ("est_platform_name", "est_regions_platform_name"),
    ("est_platform_parse", "est_regions_platform_parse"),
    ("est_platform_default_pue", "est_regions_platform_default_pue"),
    ("est_region_matches", "est_regions_matches"),
    # ecoest/sites.h
    ("est_rank_by", "est_sites_rank_by"),
    ("EST_RANK_BY_CO2E", "EST_SITES_RANK_BY_CO2E"),
    ("EST_RANK_BY_WATER", "EST_SITES_RANK_BY_WATER"),
    ("est_site_from", "est_sites_from"),
    ("EST_SITE_FROM_DEFAULT", "EST_SITES_FROM_DEFAULT"),
    ("EST_SITE_FROM_PROVIDER", "EST_SITES_FROM_PROVIDER"),
    ("EST_SITE_FROM_SITE", "EST_SITES_FROM_SITE"),
    ("est_site_from_name", "est_sites_from_name"),
    ("est_site_evaluate", "est_sites_evaluate"),
    ("est_site_result", "est_sites_result"),
    # ecoest/zones.h
    ("est_zone_matches", "est_zones_matches"),
    # ecoest/jobs.h (est_cluster_* is the cluster part of the jobs module)
    ("est_job_state", "est_jobs_state"),
    ("EST_JOB_COMPLETED", "EST_JOBS_STATE_COMPLETED"),
    ("EST_JOB_FAILED", "EST_JOBS_STATE_FAILED"),
    ("EST_JOB_TIMEOUT", "EST_JOBS_STATE_TIMEOUT"),
    ("EST_JOB_CANCELLED", "EST_JOBS_STATE_CANCELLED"),
    ("EST_JOB_OUT_OF_MEMORY", "EST_JOBS_STATE_OUT_OF_MEMORY"),
    ("EST_JOB_NODE_FAIL", "EST_JOBS_STATE_NODE_FAIL"),
    ("EST_JOB_PREEMPTED", "EST_JOBS_STATE_PREEMPTED"),
    ("EST_JOB_BOOT_FAIL", "EST_JOBS_STATE_BOOT_FAIL"),
    ("EST_JOB_DEADLINE", "EST_JOBS_STATE_DEADLINE"),
    ("EST_JOB_REQUEUED", "EST_JOBS_STATE_REQUEUED"),
    ("EST_JOB_PENDING", "EST_JOBS_STATE_PENDING"),
    ("EST_JOB_RUNNING", "EST_JOBS_STATE_RUNNING"),
    ("EST_JOB_SUSPENDED", "EST_JOBS_STATE_SUSPENDED"),
    ("EST_JOB_REVOKED", "EST_JOBS_STATE_REVOKED"),
    ("EST_JOB_RESIZING", "EST_JOBS_STATE_RESIZING"),
    ("EST_JOB_STATE_COUNT", "EST_JOBS_STATE_COUNT"),
    ("est_job_state_name", "est_jobs_state_name"),
    ("est_job_state_parse", "est_jobs_state_parse"),
    ("est_job_footprint", "est_jobs_footprint"),
    ("est_partition", "est_cluster_partition"),
    # ecoest/carbon.h
    ("est_day_origin", "est_carbon_day_origin"),
    ("EST_DAY_CACHE", "EST_CARBON_DAY_CACHE"),
    ("EST_DAY_NETWORK", "EST_CARBON_DAY_NETWORK"),
    ("EST_DAY_MISSING", "EST_CARBON_DAY_MISSING"),
    ("est_provider", "est_carbon_provider"),
    ("EST_PROVIDER_NONE", "EST_CARBON_PROVIDER_NONE"),
    ("EST_PROVIDER_ELECTRICITYMAPS", "EST_CARBON_PROVIDER_ELECTRICITYMAPS"),
    ("EST_PROVIDER_RTE", "EST_CARBON_PROVIDER_RTE"),
    ("est_provider_name", "est_carbon_provider_name"),
    ("est_provider_parse", "est_carbon_provider_parse"),
    ("est_provider_for_zone", "est_carbon_provider_for_zone"),
    ("est_source_type", "est_carbon_energy_source"),
    ("est_source_type_name", "est_carbon_energy_source_name"),
    ("EST_SRC_UNKNOWN", "EST_CARBON_SRC_UNKNOWN"),
    ("EST_SRC_BIOMASS", "EST_CARBON_SRC_BIOMASS"),
    ("EST_SRC_COAL", "EST_CARBON_SRC_COAL"),
    ("EST_SRC_GAS", "EST_CARBON_SRC_GAS"),
    ("EST_SRC_GEOTHERMAL", "EST_CARBON_SRC_GEOTHERMAL"),
    ("EST_SRC_HYDRO", "EST_CARBON_SRC_HYDRO"),
    ("EST_SRC_NUCLEAR", "EST_CARBON_SRC_NUCLEAR"),
    ("EST_SRC_OIL", "EST_CARBON_SRC_OIL"),
    ("EST_SRC_SOLAR", "EST_CARBON_SRC_SOLAR"),
    ("EST_SRC_WIND", "EST_CARBON_SRC_WIND"),
    ("EST_SRC_COUNT", "EST_CARBON_SRC_COUNT"),
    ("est_mix", "est_carbon_mix"),
    ("est_mix_intensity", "est_carbon_mix_intensity"),
    ("est_factor_set", "est_carbon_factor_set"),
    ("EST_FACTOR_SET_NAME_MAX", "EST_CARBON_FACTOR_SET_NAME_MAX"),
    ("EST_FACTORS_DEFAULT_SET", "EST_CARBON_FACTORS_DEFAULT_SET"),
    ("est_factors_load", "est_carbon_factors_load"),
    ("est_factors_load_files", "est_carbon_factors_load_files"),
    ("EST_ELECTRICITYMAPS_DEFAULT_URL", "EST_CARBON_ELECTRICITYMAPS_DEFAULT_URL"),
    ("EST_ODRE_DEFAULT_URL", "EST_CARBON_ODRE_DEFAULT_URL"),
]

OLD = [o for o, _ in RENAMES]
NEW = [n for _, n in RENAMES]
assert len(set(OLD)) == len(OLD), "an old name appears twice"
assert not set(OLD) & set(NEW), "a new name is also an old one: not idempotent"
assert len(set(NEW)) == len(NEW), "two old names map to one new name"

MAP = dict(RENAMES)
# Longest first so the alternation never stops at a shorter name; \b on both
# sides, and no underscore before (est__ names are internal).
PATTERN = re.compile(r"(?<![A-Za-z0-9_])(" +
                     "|".join(re.escape(o) for o in sorted(OLD, key=len, reverse=True)) +
                     r")(?![A-Za-z0-9_])")

SKIP = {"CHANGELOG.md", "tools/api_rename.py"}
SKIP_EXT = (".png", ".gz", ".csv")


def tracked_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z"], check=True,
                         stdout=subprocess.PIPE).stdout
    return [p for p in out.decode().split("\0") if p]


def main(argv):
    check = "--check" in argv
    if "--list" in argv:
        print("| old | new |\n|---|---|")
        for o, n in RENAMES:
            print(f"| `{o}` | `{n}` |")
        return 0
    args = [a for a in argv if not a.startswith("--")]
    root = args[0] if args else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    changed = 0
    for rel in tracked_files(root):
        if rel in SKIP or rel.endswith(SKIP_EXT):
            continue
        path = os.path.join(root, rel)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        if b"\0" in data:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        counts = {}

        def sub(m):
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
            return MAP[m.group(1)]

        new = PATTERN.sub(sub, text)
        if not counts:
            continue
        changed += 1
        detail = ", ".join(f"{o}->{MAP[o]} x{c}" for o, c in sorted(counts.items()))
        print(f"{rel}: {detail}")
        if not check:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(new)
    if check:
        print(f"{changed} file(s) use old names")
        return 1 if changed else 0
    print(f"{changed} file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
