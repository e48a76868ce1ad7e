"""The public surface: pinned exports, and sync / async twins with the same methods."""

from __future__ import annotations

import inspect

import bandwidth_apps as bw

PUBLIC = [
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


def test_all_is_pinned() -> None:
    assert sorted(bw.__all__) == sorted(PUBLIC)
    for name in bw.__all__:
        assert getattr(bw, name) is not None


def test_models_are_the_generated_classes() -> None:
    import bandwidth_apps_catapult.models as catapult_models
    import bandwidth_apps_dashboard as dashboard_models

    assert bw.Application is dashboard_models.Application
    assert bw.ApplicationResponse is dashboard_models.ApplicationResponse
    assert bw.CatapultApplication is catapult_models.Application
    assert bw.CatapultApplicationCreate is catapult_models.ApplicationCreate


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def parameters(signature: inspect.Signature) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


def test_sync_and_async_twins_have_the_same_methods_and_parameters() -> None:
    for sync, asynchronous in (
        (bw.DashboardClient, bw.AsyncDashboardClient),
        (bw.CatapultClient, bw.AsyncCatapultClient),
    ):
        sync_methods = public_methods(sync)
        async_methods = public_methods(asynchronous)
        # close / aclose are the one deliberate difference (httpx's naming)
        assert set(sync_methods) - {"close"} == set(async_methods) - {"aclose"}
        for name, signature in sync_methods.items():
            if name == "close":
                continue
            assert parameters(signature) == parameters(async_methods[name]), name
        assert parameters(inspect.signature(sync.__init__)) == parameters(
            inspect.signature(asynchronous.__init__)
        )


def test_error_tree() -> None:
    for name in (
        "ValidationError",
        "TransportError",
        "MalformedResponseError",
        "ApiError",
    ):
        assert issubclass(getattr(bw, name), bw.BandwidthError)
    for name in (
        "AuthenticationError",
        "NotFoundError",
        "ConflictError",
        "RateLimitedError",
        "ServerError",
    ):
        assert issubclass(getattr(bw, name), bw.ApiError)
