from django.conf import settings


def service(request):
    """Names every page shows in its header."""
    return {
        "service_name": "EHC needs assessments",
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
    }
