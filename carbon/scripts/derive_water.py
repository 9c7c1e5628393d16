#!/usr/bin/env python3
"""Derives the off-site water intensity of electricity per country.

Run from the repository root:  python3 carbon/scripts/derive_water.py
(needs python3-yaml). It writes:
  carbon/water-factors.csv   one consumption factor per generation source
  carbon/zones.csv           the water_l_per_kwh and water_source columns

Scope (docs/method.md, "Water"): OPERATIONAL water CONSUMPTION at the power
plant (water withdrawn and not returned: evaporated in cooling, or from a
hydro reservoir), litres per kWh generated. Life-cycle water (fuel mining,
building the plant) is left out.

Factors: Vanham, Medarac, Schyns, Hogeboom and Magagna (2019), "The
consumptive water footprint of the European Union energy sector",
Environmental Research Letters 14, 104016, doi:10.1088/1748-9326/ab374a:
its operational values per source, as listed (with that citation) in
../shared/reference/wattnet/Water.yaml. Hydro: the mix does not split run-of-
river from reservoir plants; we take the reservoir figure (evaporation
allocated to power), an upper bound that overstates run-of-river grids
(docs/method.md says so). Other renewables excluding bioenergy: the
geothermal figure (the bulk of that category; marine and the rest are small).
Unknown sources (a live mix's "other"): the mean of the thermal sources.

Mix: Ember, Yearly Electricity Data, generation per source in TWh, as
republished by Our World in Data and carried, per ISO alpha-3 country, in
../shared/reference/codecarbon/global_energy_mix.json (its `year` field gives
each country's data year, mostly 2022). Country codes: Debian's iso-codes
(alpha-3 to alpha-2). WORLD: the sum of every country's generation in that
file. Microstates whose zones.csv row takes a host grid's value take its
water too. Sub-national zones get no value (the mix is per country).
"""
import csv
import io
import json
import re
import sys

import yaml

WATER_YAML = "../shared/reference/wattnet/Water.yaml"
MIX_JSON = "../shared/reference/codecarbon/global_energy_mix.json"
ISO = "/usr/share/iso-codes/json/iso_3166-1.json"
VANHAM = ("Vanham et al. (2019), The consumptive water footprint of the European Union "
          "energy sector, Environ. Res. Lett. 14 104016, doi:10.1088/1748-9326/ab374a, "
          "operational consumption")

# our source type -> (Water.yaml production_type, the mix column, note)
# (the source types of carbon/factors.csv, so a live mix can use them too)
SOURCES = [
    ("nuclear", "Nuclear", "nuclear_TWh", ""),
    ("wind", "Wind Onshore", "wind_TWh", ""),
    ("solar", "Solar", "solar_TWh", ""),
    ("hydro", "Hydro Reservoir", "hydroelectricity_TWh",
     "; the reservoir figure for all hydro (upper bound: run-of-river consumes ~0)"),
    ("geothermal", "Geothermal", "other_renewable_exc_biofuel_TWh",
     "; in a yearly mix, for all other renewables excluding bioenergy"),
    ("biomass", "Biomass", "biofuel_TWh", ""),
    ("gas", "Gas", "gas_TWh", ""),
    ("coal", "Coal", "coal_TWh", ""),
    ("oil", "Oil", "oil_TWh", ""),
]
UNKNOWN_FROM = ["nuclear", "biomass", "gas", "coal", "oil"]


def factors():
    with open(WATER_YAML, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    out = {}
    for ours, theirs, _col, note in SOURCES:
        hits = [d for d in doc if d["production_type"] == theirs and d["scope"] == "Operational"]
        if len(hits) != 1 or hits[0]["source"] != "Vanham" or hits[0]["unit"] != "l/kWh":
            sys.exit(f"{theirs}: expected one operational Vanham factor in l/kWh")
        out[ours] = (float(hits[0]["value"]), VANHAM + note)
    return out


def water_of(mix, fac):
    total = sum(mix[col] for _o, _t, col, _n in SOURCES)
    if total <= 0:
        return None
    return sum(mix[col] * fac[o][0] for o, _t, col, _n in SOURCES) / total


def main():
    fac = factors()
    with open("carbon/water-factors.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source_type", "water_l_per_kwh", "scope", "source"])
        for o, _t, _c, _n in SOURCES:
            w.writerow([o, repr(fac[o][0]), "operational", fac[o][1]])
        unknown = sum(fac[o][0] for o in UNKNOWN_FROM) / len(UNKNOWN_FROM)
        w.writerow(["unknown", f"{unknown:.4g}", "operational",
                    "derive_water.py: the mean of the thermal sources' factors (" +
                    ", ".join(UNKNOWN_FROM) + ") above, from " + VANHAM])
    with open(ISO, encoding="utf-8") as f:
        a3 = {c["alpha_3"]: c["alpha_2"] for c in json.load(f)["3166-1"]}
    with open(MIX_JSON, encoding="utf-8") as f:
        mixes = json.load(f)
    by_a2 = {}
    world = {col: 0.0 for _o, _t, col, _n in SOURCES}
    for code, m in mixes.items():
        for col in world:
            world[col] += m[col]
        if code in a3:
            by_a2[a3[code]] = m
    src = open("carbon/zones.csv", newline="", encoding="utf-8").read()
    rows = list(csv.reader(io.StringIO(src)))
    head = rows[0]
    if head[-1] != "water_source":
        head.append("water_source")
        for r in rows[1:]:
            r.append("")
    values = {}
    for r in rows[1:]:
        zone = r[0]
        r[5], r[7] = "", ""
        if zone == "WORLD":
            v = water_of(world, fac)
            r[5] = f"{v:.3g}"
            r[7] = (f"derive_water.py: Ember yearly generation mix (via Our World in Data, "
                    f"in CodeCarbon's global_energy_mix.json), summed over its {len(mixes)} "
                    f"countries (data years 2009-2023, mostly 2022), x {VANHAM} per source")
        elif zone in by_a2:
            m = by_a2[zone]
            v = water_of(m, fac)
            if v is None:
                continue
            r[5] = f"{v:.3g}"
            r[7] = (f"derive_water.py: Ember yearly generation mix {m['year']} of "
                    f"{m['country_name']} (via Our World in Data, in CodeCarbon's "
                    f"global_energy_mix.json) x {VANHAM} per source")
        values[zone] = r
    for r in rows[1:]:
        host = re.match(r"no grid statistics of its own: the ([A-Z]{2}) row", r[6])
        if host and values.get(host.group(1), [""] * 8)[5]:
            h = values[host.group(1)]
            r[5] = h[5]
            r[7] = f"no grid statistics of its own: the {host.group(1)} row's water ({h[7]})"
    with open("carbon/zones.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    n = sum(1 for r in rows[1:] if r[5])
    print(f"water_l_per_kwh for {n} of {len(rows) - 1} zones")


if __name__ == "__main__":
    main()
