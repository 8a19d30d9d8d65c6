import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
application = get_asgi_application()

# Production: refuse to serve as a role that owns the append-only tables or is a superuser (relais/web/checks.py).
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from relais.web.checks import check_database  # noqa: E402

if settings.PRODUCTION:
    check_database(connection)
    connection.close()

# Rights engine: build the law and simulate once before the first request (RELAIS_RIGHTS_WARMUP).
# The development server (make run) warms it in the background instead, and serves at once.
from relais.rights.warmup import warm_up_dev_server_in_background, warm_up_if_enabled  # noqa: E402

warm_up_if_enabled()
warm_up_dev_server_in_background()

# Search: build the offer index and run one search before the first request (RELAIS_SEARCH_WARMUP).
from relais.matching.runtime import warm_up_if_enabled as warm_up_search_if_enabled  # noqa: E402

warm_up_search_if_enabled()
