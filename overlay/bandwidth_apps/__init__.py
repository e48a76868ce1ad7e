"""bandwidth_apps: provision Bandwidth Applications on the Dashboard API and the Catapult v1 API.

    from bandwidth_apps import DashboardClient, Application, ServiceType

    with DashboardClient(account_id, client_id=client_id, client_secret=client_secret) as dashboard:
        app = dashboard.create(Application(service_type=ServiceType.VOICE_V2, app_name="IVR",
                                           call_initiated_callback_url="https://example.com/voice"))

(Bandwidth's production host by default; `environment="test"` or `base_url=` for another.)

Models are the classes generated from the specs, re-exported here; the Catapult ones carry a
`Catapult` prefix where a Dashboard name is the same. Errors are in the tree of BandwidthError.
"""

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
