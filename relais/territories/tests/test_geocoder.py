"""The address geocoder, against a real HTTP server on loopback speaking the national address API's protocol."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from relais.territories import geocoder

PAUL_BERT = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.8505, 45.7597]},
            "properties": {
                "label": "12 Rue Paul Bert 69003 Lyon",
                "score": 0.97,
                "type": "housenumber",
                "citycode": "69383",
                "postcode": "69003",
            },
        }
    ],
}
MUNICIPALITY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.83, 45.75]},
            "properties": {"label": "Lyon", "score": 0.9, "type": "municipality", "citycode": "69123"},
        }
    ],
}


class AddressApi:
    """What the server was asked, and how it answers: a JSON body, a delay, a status."""

    def __init__(self):
        self.queries: list[dict] = []
        self.delay = 0.0
        self.status = 200
        self.body = PAUL_BERT


@pytest.fixture
def api(settings):
    state = AddressApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            state.queries.append({"path": parts.path, **{k: v[0] for k, v in parse_qs(parts.query).items()}})
            time.sleep(state.delay)
            body = state.body if isinstance(state.body, bytes) else json.dumps(state.body).encode()
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.RELAIS_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    settings.RELAIS_GEOCODER_TIMEOUT = 0.3
    cache.clear()
    geocoder.reset()
    yield state
    server.shutdown()
    server.server_close()
    cache.clear()
    geocoder.reset()


def test_the_geocoder_is_off_by_default_and_sends_nothing(settings):
    settings.RELAIS_GEOCODER_URL = ""
    assert geocoder.geocode("12 rue Paul Bert 69003 Lyon") is None
    assert geocoder.stats.calls == 0


def test_an_address_is_sent_to_the_search_endpoint_and_its_position_read_from_the_geojson(api):
    located = geocoder.geocode("12 rue Paul Bert 69003 Lyon")
    assert located == geocoder.Located(45.7597, 4.8505, "69383", "12 Rue Paul Bert 69003 Lyon", 0.97)
    assert api.queries == [{"path": "/search/", "q": "12 rue Paul Bert 69003 Lyon", "limit": "1"}]


def test_the_same_address_again_is_answered_from_the_cache_even_written_differently(api):
    first = geocoder.geocode("12 rue Paul Bert 69003 Lyon")
    again = geocoder.geocode("  12 Rue Paul-Bert 69003 LYON ")
    assert again == first
    assert len(api.queries) == 1
    assert geocoder.stats.cache_hits == 1


def test_a_commune_only_answer_or_a_poor_score_is_no_position(api):
    api.body = MUNICIPALITY
    assert geocoder.geocode("Lyon 12") is None
    api.body = {**PAUL_BERT, "features": [{**PAUL_BERT["features"][0], "properties": {"score": 0.2}}]}
    assert geocoder.geocode("zzz 69003") is None
    api.body = {"type": "FeatureCollection", "features": []}
    assert geocoder.geocode("nowhere 1") is None


def test_a_slow_server_costs_its_timeout_then_three_failures_pause_the_calls(api):
    api.delay = 1.0
    started = time.perf_counter()
    assert geocoder.geocode("1 rue A 69003 Lyon") is None
    assert time.perf_counter() - started < 0.9  # the timeout (0.3 s), not the server's delay
    api.delay = 0.0
    api.status = 500
    assert geocoder.geocode("2 rue A 69003 Lyon") is None
    api.body = b"{not json"
    api.status = 200
    assert geocoder.geocode("3 rue A 69003 Lyon") is None
    asked = len(api.queries)
    api.body = PAUL_BERT
    started = time.perf_counter()
    assert geocoder.geocode("4 rue A 69003 Lyon") is None  # paused: not even asked
    assert time.perf_counter() - started < 0.05
    assert len(api.queries) == asked
    assert geocoder.stats.failures == 3 and geocoder.stats.paused == 1


def test_a_refused_connection_is_a_failure_not_an_error(settings):
    settings.RELAIS_GEOCODER_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.RELAIS_GEOCODER_TIMEOUT = 0.3
    cache.clear()
    geocoder.reset()
    assert geocoder.geocode("12 rue Paul Bert 69003 Lyon") is None
    assert geocoder.stats.failures == 1
    geocoder.reset()
