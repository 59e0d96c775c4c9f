"""The site's own error pages, on every public page, in development as in production."""

import sys

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.shortcuts import render


def bad_request(request, exception):
    """A 400 page that says which value of the address could not be read (our own messages only)."""
    message = exception if isinstance(exception, BadRequest) else None
    return render(request, "400.html", {"exception": message}, status=400)


def not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 with Retry-After when the database cannot be reached: the reader may simply come back."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return unavailable(request)
    return render(request, "500.html", status=500)


def unavailable(request):
    """503: the database does not answer, or not in time; the reader may simply come back."""
    response = render(request, "503.html", status=503)
    response["Retry-After"] = "30"
    return response


class PublicErrorPagesMiddleware:
    """A reader's bad address gets the site's own 400 or 404 page under `make run` too, where Django would
    show its debug page (meant for a developer's own mistakes, which the admin keeps showing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/admin/"):
            return None
        if isinstance(exception, BadRequest):
            return bad_request(request, exception)
        if isinstance(exception, Http404):
            return not_found(request, exception)
        return None
