"""An SMS gateway for tests: a real HTTP server on loopback speaking relais.sms.HttpBackend's protocol.

The fixture `sms_gateway` (a pytest plugin of the root conftest) sets the RELAIS_SMS_* settings to it and
yields the handler class: `.received` holds each request's Authorization header and JSON body, `.status` is
the answer the next requests get (202 by default; set 500 to try a failing gateway).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 202

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append({"auth": self.headers["Authorization"], "json": json.loads(body)})
        self.send_response(Gateway.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.received, Gateway.status = [], 202
    settings.RELAIS_SMS_BACKEND = "relais.sms.HttpBackend"
    settings.RELAIS_SMS_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.RELAIS_SMS_TOKEN = "jeton-de-test"
    settings.RELAIS_SMS_SENDER = "Relais"
    yield Gateway
    server.shutdown()
    server.server_close()
