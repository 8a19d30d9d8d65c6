"""A fake OpenID Connect provider shaped like ProConnect, served on 127.0.0.1 for the tests.

It answers discovery, JWKS, token and userinfo (as a signed JWT, like ProConnect) over real HTTP,
so the login is tested at the HTTP boundary, with the library's own requests. The browser step
(the provider's login page) is played by `issue_code`, which the test calls with the state and
nonce it read from our redirect.
"""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "relais-client-de-test"
CLIENT_SECRET = "secret-de-test-" + "x" * 20
KID = "cle-de-test"
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProvider:
    def __init__(self):
        self.codes = {}  # code -> what the token endpoint answers for it
        self.tokens = {}  # access token -> userinfo claims
        self.token_requests = []
        self.token_status = 200
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}/api/v2"
        self.discovery_issuer = self.issuer
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def issue_code(self, *, nonce, redirect_uri, claims, id_token_overrides=None, userinfo_overrides=None):
        """What the provider does once the person has logged in there: a one-time code for our callback."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "nonce": nonce,
            "redirect_uri": redirect_uri,
            "claims": claims,
            "id_token_overrides": id_token_overrides or {},
            "userinfo_overrides": userinfo_overrides or {},
        }
        return code

    def sign(self, payload) -> str:
        return jwt.encode(payload, _KEY, algorithm="RS256", headers={"kid": KID})

    # --- HTTP --------------------------------------------------------------------------------

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                base = "/api/v2"
                if self.path == base + "/.well-known/openid-configuration":
                    self._send(
                        200,
                        {
                            "issuer": provider.discovery_issuer,
                            "authorization_endpoint": provider.issuer + "/authorize",
                            "token_endpoint": provider.issuer + "/token",
                            "userinfo_endpoint": provider.issuer + "/userinfo",
                            "jwks_uri": provider.issuer + "/jwks",
                            "end_session_endpoint": provider.issuer + "/session/end",
                            "id_token_signing_alg_values_supported": ["RS256"],
                        },
                    )
                elif self.path == base + "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(_KEY.public_key()))
                    self._send(200, {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]})
                elif self.path == base + "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.tokens.get(token)
                    if claims is None:
                        self._send(401, {"error": "invalid_token"})
                    else:
                        self._send(200, provider.sign(claims).encode(), "application/jwt")
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path != "/api/v2/token":
                    return self._send(404, {"error": "not_found"})
                provider.token_requests.append(form)
                if provider.token_status != 200:
                    return self._send(provider.token_status, {"error": "server_error"})
                grant = provider.codes.pop(form.get("code"), None)
                if (
                    grant is None
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("redirect_uri") != grant["redirect_uri"]
                    or form.get("grant_type") != "authorization_code"
                ):
                    return self._send(400, {"error": "invalid_grant"})
                now = int(time.time())
                claims = grant["claims"]
                id_token = provider.sign(
                    {
                        "iss": provider.issuer,
                        "sub": claims["sub"],
                        "aud": CLIENT_ID,
                        "iat": now,
                        "exp": now + 60,
                        "nonce": grant["nonce"],
                        "acr": "eidas1",
                        "amr": ["pwd"],
                        **grant["id_token_overrides"],
                    }
                )
                access_token = secrets.token_urlsafe(16)
                provider.tokens[access_token] = {
                    "iss": provider.issuer,
                    "aud": CLIENT_ID,
                    **claims,
                    **grant["userinfo_overrides"],
                }
                self._send(
                    200, {"access_token": access_token, "token_type": "Bearer", "expires_in": 60, "id_token": id_token}
                )

        return Handler
