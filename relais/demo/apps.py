from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo seeder (manage.py load_demo): the top layer, which may import every app (docs/adr/0009-house-rules.md).
    It has no models and no page: nothing of it is shown, so it needs no translated name."""

    name = "relais.demo"
