"""bandwidth_apps: provision Bandwidth Applications on the Dashboard API and the Catapult v1 API.

    from bandwidth_apps import DashboardClient, Application, ServiceType

    with DashboardClient(account_id, client_id=client_id, client_secret=client_secret) as dashboard:
        app = dashboard.create(Application(service_type=ServiceType.VOICE_V2, app_name="IVR",
                                           call_initiated_callback_url="https://example.com/voice"))

(Bandwidth's production host by default; `environment="test"` or `base_url=` for another.)

Models are the classes generated from the specs, re-exported here; the Catapult ones carry a
`Catapult` prefix where a Dashboard name is the same. Errors are in the tree of BandwidthError.

Names are imported on first use (PEP 562): `import bandwidth_apps` costs next to nothing, and a
Dashboard-only program never loads the Catapult client. Type checkers and IDEs see the imports
below as if they were made here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bandwidth_apps_catapult.models import Application as CatapultApplication
    from bandwidth_apps_catapult.models import ApplicationCreate as CatapultApplicationCreate
    from bandwidth_apps_catapult.models import ApplicationUpdate as CatapultApplicationUpdate
    from bandwidth_apps_catapult.types import UNSET, Unset
    from bandwidth_apps_dashboard import (
        Application,
        ApplicationResponse,
        AssociatedSipPeer,
        CallbackCredentials,
        CallbackMethod,
        CallbackType,
        CallStatusCallbackUrlRemoval,
        RequestedCallbackTypes,
        ServiceType,
    )

    from . import sandbox as sandbox
    from . import specs as specs
    from ._auth import ClientCredentials, LegacyAuthWarning
    from ._catapult import CATAPULT_BASE_URL, AsyncCatapultClient, CatapultClient
    from ._core import NO_RETRY, RetryPolicy
    from ._dashboard import DASHBOARD_BASE_URL, AsyncDashboardClient, DashboardClient, as_request
    from ._errors import (
        ApiError,
        AuthenticationError,
        BandwidthError,
        ConflictError,
        MalformedResponseError,
        NotFoundError,
        RateLimitedError,
        ServerError,
        TransportError,
        ValidationError,
        Violation,
    )

# Each public name: the module that defines it and its name there.
_EXPORTS: dict[str, tuple[str, str]] = {
    "ApiError": ("bandwidth_apps._errors", "ApiError"),
    "Application": ("bandwidth_apps_dashboard", "Application"),
    "ApplicationResponse": ("bandwidth_apps_dashboard", "ApplicationResponse"),
    "AssociatedSipPeer": ("bandwidth_apps_dashboard", "AssociatedSipPeer"),
    "AsyncCatapultClient": ("bandwidth_apps._catapult", "AsyncCatapultClient"),
    "AsyncDashboardClient": ("bandwidth_apps._dashboard", "AsyncDashboardClient"),
    "AuthenticationError": ("bandwidth_apps._errors", "AuthenticationError"),
    "BandwidthError": ("bandwidth_apps._errors", "BandwidthError"),
    "CATAPULT_BASE_URL": ("bandwidth_apps._catapult", "CATAPULT_BASE_URL"),
    "CallStatusCallbackUrlRemoval": ("bandwidth_apps_dashboard", "CallStatusCallbackUrlRemoval"),
    "CallbackCredentials": ("bandwidth_apps_dashboard", "CallbackCredentials"),
    "CallbackMethod": ("bandwidth_apps_dashboard", "CallbackMethod"),
    "CallbackType": ("bandwidth_apps_dashboard", "CallbackType"),
    "CatapultApplication": ("bandwidth_apps_catapult.models", "Application"),
    "CatapultApplicationCreate": ("bandwidth_apps_catapult.models", "ApplicationCreate"),
    "CatapultApplicationUpdate": ("bandwidth_apps_catapult.models", "ApplicationUpdate"),
    "CatapultClient": ("bandwidth_apps._catapult", "CatapultClient"),
    "ClientCredentials": ("bandwidth_apps._auth", "ClientCredentials"),
    "ConflictError": ("bandwidth_apps._errors", "ConflictError"),
    "DASHBOARD_BASE_URL": ("bandwidth_apps._dashboard", "DASHBOARD_BASE_URL"),
    "DashboardClient": ("bandwidth_apps._dashboard", "DashboardClient"),
    "LegacyAuthWarning": ("bandwidth_apps._auth", "LegacyAuthWarning"),
    "MalformedResponseError": ("bandwidth_apps._errors", "MalformedResponseError"),
    "NO_RETRY": ("bandwidth_apps._core", "NO_RETRY"),
    "NotFoundError": ("bandwidth_apps._errors", "NotFoundError"),
    "RateLimitedError": ("bandwidth_apps._errors", "RateLimitedError"),
    "RequestedCallbackTypes": ("bandwidth_apps_dashboard", "RequestedCallbackTypes"),
    "RetryPolicy": ("bandwidth_apps._core", "RetryPolicy"),
    "ServerError": ("bandwidth_apps._errors", "ServerError"),
    "ServiceType": ("bandwidth_apps_dashboard", "ServiceType"),
    "TransportError": ("bandwidth_apps._errors", "TransportError"),
    "UNSET": ("bandwidth_apps_catapult.types", "UNSET"),
    "Unset": ("bandwidth_apps_catapult.types", "Unset"),
    "ValidationError": ("bandwidth_apps._errors", "ValidationError"),
    "Violation": ("bandwidth_apps._errors", "Violation"),
    "as_request": ("bandwidth_apps._dashboard", "as_request"),
}


# Public submodules, imported on first use like the names: `bw.specs` works without its own import.
_SUBMODULES = frozenset({"sandbox", "specs"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")  # which also binds it here
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'bandwidth_apps' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)


__all__ = [
    "CATAPULT_BASE_URL",
    "DASHBOARD_BASE_URL",
    "NO_RETRY",
    "UNSET",
    "ApiError",
    "Application",
    "ApplicationResponse",
    "AssociatedSipPeer",
    "AsyncCatapultClient",
    "AsyncDashboardClient",
    "AuthenticationError",
    "BandwidthError",
    "CallStatusCallbackUrlRemoval",
    "CallbackCredentials",
    "CallbackMethod",
    "CallbackType",
    "CatapultApplication",
    "CatapultApplicationCreate",
    "CatapultApplicationUpdate",
    "CatapultClient",
    "ClientCredentials",
    "ConflictError",
    "DashboardClient",
    "LegacyAuthWarning",
    "MalformedResponseError",
    "NotFoundError",
    "RateLimitedError",
    "RequestedCallbackTypes",
    "RetryPolicy",
    "ServerError",
    "ServiceType",
    "TransportError",
    "Unset",
    "ValidationError",
    "Violation",
    "as_request",
]
