from django.conf import settings


def platform(request):
    return {
        "platform_name": settings.RELAIS_PLATFORM_NAME,
        "demo_mode": settings.RELAIS_DEMO,
    }
