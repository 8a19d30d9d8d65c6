"""The map settings: the Content-Security-Policy allows the tile server only when one is set, and a tile URL
or a route planner URL that cannot work stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def img_src(client, url="/") -> str:
    response = client.get(url)
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return directives["img-src"]


def test_without_a_tile_server_images_come_from_the_site_only(client, settings):
    settings.RELAIS_TILE_URL = ""
    assert img_src(client) == "'self' data:"


def test_with_a_tile_server_its_origin_is_allowed_for_images_and_nothing_else(client, settings):
    settings.RELAIS_TILE_URL = "https://tiles.example.org/osm/{z}/{x}/{y}.png?key=k"
    assert img_src(client) == "'self' data: https://tiles.example.org"
    csp = client.get("/offre/")["Content-Security-Policy"]
    assert csp.count("tiles.example.org") == 1  # not in script-src, connect-src…
    assert "script-src 'self';" in csp and "connect-src 'self';" in csp


def test_tile_servers_with_subdomains_are_allowed_by_a_wildcard(client, settings):
    settings.RELAIS_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    assert img_src(client) == "'self' data: https://*.tile.example.org"


def test_the_admin_keeps_the_tile_server_too(client, settings):
    settings.RELAIS_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    csp = client.get("/admin/login/")["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org" in csp and "'unsafe-inline'" in csp


def start_with(**variables) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "relais.settings", **variables}
    env.pop("RELAIS_PRODUCTION", None)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RELAIS_ROUTE_URL", "javascript:alert(1)//{lat}{lon}"),
        ("RELAIS_ROUTE_URL", "https://routes.example.org/?to=somewhere"),  # no {lat} nor {lon}
        ("RELAIS_TILE_URL", "tiles.example.org/{z}/{x}/{y}.png"),  # no scheme: no CSP origin
        ("RELAIS_TILE_URL", "https://tiles.example.org/tiles.png"),  # no {z}, {x}, {y}
        ("RELAIS_TILE_URL", "https://t.example;script-src *;x/{z}/{x}/{y}.png"),  # would write into the CSP
        ("RELAIS_TILE_URL", "https://tile-{s}.example.org/{z}/{x}/{y}.png"),  # a placeholder inside the host
    ],
)
def test_a_map_setting_that_cannot_work_stops_start_up_naming_the_variable(name, value):
    result = start_with(**{name: value})
    assert result.returncode != 0
    assert f"{name}: expected" in result.stderr


def test_the_map_settings_accept_a_geo_uri_an_empty_route_and_a_tile_server():
    for variables in (
        {"RELAIS_ROUTE_URL": "geo:{lat},{lon}"},
        {"RELAIS_ROUTE_URL": ""},
        {"RELAIS_TILE_URL": "https://{s}.tile.example.org/{z}/{x}/{y}.png"},
    ):
        result = start_with(**variables)
        assert result.returncode == 0, result.stderr
