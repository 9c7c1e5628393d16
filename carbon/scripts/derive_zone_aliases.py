#!/usr/bin/env python3
"""Writes carbon/zone-aliases.csv: other codes people use for our zones.

Run from the repository root:  python3 carbon/scripts/derive_zone_aliases.py

Three kinds of rows (docs/carbon.md, "Zone aliases"):
  iso3166-alpha3   ISO 3166-1 alpha-3 code -> our alpha-2 zone (CodeCarbon's
                   offline mode takes FRA, DEU, ...). Read from Debian's
                   iso-codes package, /usr/share/iso-codes/json/iso_3166-1.json
                   (the ISO 3166 Maintenance Agency's list as packaged by
                   Debian); only codes whose alpha-2 zone is in zones.csv.
  alias            common codes that are not the ISO alpha-2 one (UK, EL).
  electricitymaps  Electricity Maps' sub-national zone codes: the area lies
                   inside the zone (an eGRID subregion, or the country for a
                   bidding zone: the country's average, said in the source).
  refused          Electricity Maps codes of areas that span several of our
                   zones, or islands with grids of their own: ecoest refuses
                   the code and names the zones (space-separated) as the
                   candidates.
"""
import csv
import json
import os
import sys

ISO = "/usr/share/iso-codes/json/iso_3166-1.json"
ISO_SRC = ("ISO 3166-1 alpha-3 code of the country, as listed by Debian's iso-codes "
           "package (iso_3166-1.json)")
EM = "Electricity Maps zone"
EGRID = ("EPA eGRID2022 subregion map (https://www.epa.gov/egrid/maps): the balancing "
         "authority lies in this subregion (the subregion is not checked against eGRID's own "
         "balancing-authority table)")
# Electricity Maps' zone list for 2024 as Green Algorithms v3.1 ships it (read,
# never copied): each Electricity Maps code is checked against it.
EM_LIST = ("../shared/reference/green-algorithms/ga-data-v3.1/"
           "CI-electricitymap-yearly_2024-with-continents.csv")


def em_zones():
    if not os.path.exists(EM_LIST):
        sys.exit(f"{EM_LIST} is needed to check the Electricity Maps codes")
    out = {}
    with open(EM_LIST, newline="", encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) > 3 and r[3] and r[3] != "zone_code":
                out[r[3]] = r[2]
    return out


def em_checked(code, known):
    if code in known:
        return (f"checked: in Electricity Maps' 2024 zone list (Green Algorithms v3.1's "
                f"CI-electricitymap-yearly_2024), named {known[code]}")
    return ("NOT in Electricity Maps' 2024 zone list (Green Algorithms v3.1's "
            "CI-electricitymap-yearly_2024, which has only the whole area): an older code, "
            "kept for data that still uses it")
EGRID_SPAN = ("EPA eGRID2022 subregion map (https://www.epa.gov/egrid/maps): the "
              "balancing authority spans several subregions; pick one")

def bidding(country, what):
    return (f"{what} is a bidding zone of {country}: ecoest has the country's annual "
            f"average only (ENTSO-E bidding zone list / the national TSO)")

HAND = [
    # alias, zone(s), kind, source
    ("UK", "GB", "alias", "UK is exceptionally reserved in ISO 3166-1 for the United Kingdom, "
     "whose alpha-2 code is GB"),
    ("EL", "GR", "alias", "EL is the European Union's code for Greece (EU Interinstitutional "
     "Style Guide, section 7.1), whose ISO alpha-2 code is GR"),
]
US = {
    "US-EGRID-CAMX": ["US-CAL-CISO", "US-CAL-BANC", "US-CAL-LDWP", "US-CAL-TIDC", "US-CAL-IID"],
    "US-EGRID-ERCT": ["US-TEX-ERCO"],
    "US-EGRID-NEWE": ["US-NE-ISNE"],
    "US-EGRID-FRCC": ["US-FLA-FPL", "US-FLA-FPC", "US-FLA-TEC", "US-FLA-JEA", "US-FLA-FMPP",
                      "US-FLA-TAL", "US-FLA-SEC", "US-FLA-GVL", "US-FLA-HST"],
    "US-EGRID-SRSO": ["US-SE-SOCO"],
    "US-EGRID-SRTV": ["US-TEN-TVA"],
    "US-EGRID-SRVC": ["US-CAR-DUK", "US-CAR-CPLE", "US-CAR-SC", "US-CAR-SCEG"],
    "US-EGRID-NWPP": ["US-NW-BPAT", "US-NW-PACW", "US-NW-PGE", "US-NW-PSEI", "US-NW-SCL",
                      "US-NW-IPCO", "US-NW-NEVP", "US-NW-PACE", "US-NW-AVA", "US-NW-NWMT",
                      "US-NW-CHPD", "US-NW-DOPD", "US-NW-GCPD", "US-NW-TPWR"],
    "US-EGRID-AZNM": ["US-SW-AZPS", "US-SW-SRP", "US-SW-TEPC", "US-SW-PNM", "US-SW-EPE",
                      "US-SW-WALC"],
    "US-EGRID-RMPA": ["US-NW-PSCO", "US-NW-WACM"],
    "US-EGRID-HIOA": ["US-HI-OA"],
    "US-EGRID-HIMS": ["US-HI-MA", "US-HI-KA", "US-HI-HA", "US-HI-MO", "US-HI-LA"],
}
US_SPAN = {
    "US-NY-NYIS": "US-EGRID-NYUP US-EGRID-NYCW US-EGRID-NYLI",
    "US-MIDA-PJM": "US-EGRID-RFCE US-EGRID-RFCW US-EGRID-SRVC",
    "US-MIDW-MISO": "US-EGRID-MROW US-EGRID-MROE US-EGRID-RFCM US-EGRID-SRMW US-EGRID-SRMV",
    "US-CENT-SWPP": "US-EGRID-SPNO US-EGRID-SPSO",
    "US-HI": "US-EGRID-HIOA US-EGRID-HIMS",
    "US-AK": "US-EGRID-AKGD US-EGRID-AKMS",
}
BIDDING = {
    "DK": ("Denmark", ["DK-DK1", "DK-DK2"]),
    "SE": ("Sweden", ["SE-SE1", "SE-SE2", "SE-SE3", "SE-SE4"]),
    "NO": ("Norway", ["NO-NO1", "NO-NO2", "NO-NO3", "NO-NO4", "NO-NO5"]),
    "IT": ("Italy", ["IT-NO", "IT-CNO", "IT-CSO", "IT-SO"]),
    "JP": ("Japan", ["JP-TK", "JP-KN", "JP-CB", "JP-HKD", "JP-TH", "JP-HR", "JP-CG", "JP-SK",
                     "JP-KY"]),
    "IN": ("India", ["IN-NO", "IN-SO", "IN-EA", "IN-WE", "IN-NE"]),
    "BR": ("Brazil", ["BR-CS", "BR-N", "BR-NE", "BR-S"]),
    "NZ": ("New Zealand", ["NZ-NZN", "NZ-NZS"]),
    "RU": ("Russia", ["RU-1", "RU-2"]),
}
# islands with grids of their own inside a country: refused, the country named
ISLANDS = {
    "IT-SIC": ("IT", "Sicily"), "IT-SAR": ("IT", "Sardinia"), "DK-BHM": ("DK", "Bornholm"),
    "JP-ON": ("JP", "Okinawa"), "ES-IB-MA": ("ES", "Mallorca"),
    "ES-CN-TE": ("ES", "Tenerife"), "ES-CN-GC": ("ES", "Gran Canaria"),
    "GB-NIR": ("GB IE", "Northern Ireland (in Ireland's single electricity market)"),
}


def main():
    zones = {}
    with open("carbon/zones.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            zones[row["zone"].upper()] = row["name"]
    rows = []
    with open(ISO, encoding="utf-8") as f:
        for c in json.load(f)["3166-1"]:
            if c["alpha_2"] in zones:
                rows.append((c["alpha_3"], c["alpha_2"], "iso3166-alpha3",
                             f"{ISO_SRC}: {c['name']}"))
    rows += HAND
    known = em_zones()
    for zone, codes in US.items():
        rows += [(c, zone, "electricitymaps", f"{EM} {c} ({em_checked(c, known)}); {EGRID}")
                 for c in codes]
    for code, span in US_SPAN.items():
        rows.append((code, span, "refused",
                     f"{EM} {code} ({em_checked(code, known)}); {EGRID_SPAN}"))
    for zone, (country, codes) in BIDDING.items():
        rows += [(c, zone, "electricitymaps",
                  f"{EM} {c} ({em_checked(c, known)}); " + bidding(country, c))
                 for c in codes]
    for code, (zone, what) in ISLANDS.items():
        rows.append((code, zone, "electricitymaps",
                     f"{EM} {code} ({em_checked(code, known)}): {what} has a grid of its own "
                     "that ecoest has no figure for; refused, the country named"))
    seen = set()
    for r in rows:
        for z in r[1].split():
            if z not in zones:
                sys.exit(f"{r[0]}: zone {z} is not in carbon/zones.csv")
        if r[0].upper() in seen or r[0].upper() in zones:
            sys.exit(f"{r[0]}: duplicate, or a zone code of its own")
        seen.add(r[0].upper())
    with open("carbon/zone-aliases.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["alias", "zone", "kind", "source"])
        for r in rows:
            kind = r[2]
            if r[0] in ISLANDS:
                kind = "refused"
            w.writerow([r[0], r[1], kind, r[3]])


if __name__ == "__main__":
    main()
