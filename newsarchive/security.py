"""Security plumbing the settings alone cannot say: which Content-Security-Policy a path gets, the
Permissions-Policy header, the client address behind proxies and the login throttle's page.

The data (the policies, the throttle's limits, the proxies) lives in ``newsarchive/settings.py``.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


class PathCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy under ``NEWSARCHIVE_ADMIN_CSP_PATH``.

    Every response gets ``CONTENT_SECURITY_POLICY`` (the public site runs no script); under the admin's
    path the directives of ``NEWSARCHIVE_ADMIN_CSP`` replace the same ones (the admin runs its own
    files). django-csp's decorators still work on top of either.
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.NEWSARCHIVE_ADMIN_CSP_PATH):
            parts.replace = {**settings.NEWSARCHIVE_ADMIN_CSP, **(parts.replace or {})}
        return parts


class PermissionsPolicyMiddleware:
    """Sends ``PERMISSIONS_POLICY`` (feature -> allowed origins; an empty list: nobody) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def client_ip(request) -> str | None:
    """The client's address, for the login throttle (``AXES_CLIENT_IP_CALLABLE``).

    The peer's address (``REMOTE_ADDR``) unless ``NEWSARCHIVE_TRUSTED_PROXY_COUNT`` proxies are
    trusted: each of them appends the address it received the request from to ``X-Forwarded-For``
    (nginx's ``$proxy_add_x_forwarded_for``), so the client is the N-th entry from the right; anything
    further left came from the client and is ignored. A header shorter than that is a
    misconfiguration: the peer's address is used. (django-ipware's resolution prefers publicly
    routable addresses and counts proxies in the header, which lets a client choose its own address
    through a forged header: not used.)
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.NEWSARCHIVE_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes's check, first in ``AUTHENTICATION_BACKENDS``: refuses locked-out logins.

    A call to ``authenticate()`` without a request (Django's test client's ``login()``, a script) is no
    web login: it has no address, and axes counts no failure for it, so it goes on to the next
    backend instead of raising as axes's own does. Every web login passes its request (Django's and
    the admin's login views do); a new login view must too, or it is not throttled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (``AXES_LOCKOUT_CALLABLE``): in the admin's look, saying for
    how long and what to do, with ``AXES_HTTP_RESPONSE_CODE`` (429 Too Many Requests)."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        "username": get_client_username(request, credentials) or "",
    }
    response = render(request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
