#!/bin/sh
# The committed data files that scripts derive from ../shared/reference are
# what those scripts derive today:
#   carbon/water-factors.csv, carbon/zones.csv   carbon/scripts/derive_water.py
#   carbon/zone-aliases.csv                      carbon/scripts/derive_zone_aliases.py
#   libestimate/data/cpu_power_curves.csv        libestimate/data/fit_cpu_curves.py
# The scripts write in place, so they run on a copy. Exit 77 (skipped) when
# the reference folder, PyYAML or iso-codes is missing.
# Usage: derived_up_to_date.sh SOURCE_DIR
set -eu
src=$(cd "$1" && pwd)
ref=$src/../shared/reference
[ -d "$ref" ] || { echo "skipped: no $ref"; exit 77; }
python3 -c 'import yaml' 2>/dev/null || { echo "skipped: python3-yaml is not installed"; exit 77; }
[ -f /usr/share/iso-codes/json/iso_3166-1.json ] ||
    { echo "skipped: iso-codes is not installed"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/repo/libestimate"
cp -R "$src/carbon" "$t/repo/carbon"
cp -R "$src/libestimate/data" "$t/repo/libestimate/data"
ln -s "$(cd "$src/../shared" && pwd)" "$t/shared"
cd "$t/repo"
python3 carbon/scripts/derive_water.py >/dev/null
python3 carbon/scripts/derive_zone_aliases.py >/dev/null
python3 libestimate/data/fit_cpu_curves.py "$ref/vendor-specs" |
    sed '/^$/,$d' >libestimate/data/cpu_power_curves.csv
fail=0
for f in carbon/water-factors.csv carbon/zones.csv carbon/zone-aliases.csv \
    libestimate/data/cpu_power_curves.csv; do
    if cmp -s "$f" "$src/$f"; then
        echo "ok: $f"
    else
        echo "FAIL: $f is not what its script derives (diff committed derived):"
        diff "$src/$f" "$f" | head -8
        fail=1
    fi
done
exit $fail
