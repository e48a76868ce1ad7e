"""The main job, end to end, on a local Bandwidth: start the sandbox, provision applications on
both platforms through the real clients (Dashboard with OAuth 2.0 client credentials), migrate
one, show the end of the legacy Basic login, and stop."""

from __future__ import annotations

import datetime
import warnings

import bandwidth_apps as bw
from bandwidth_apps._migrate import plan_migration
from bandwidth_apps.sandbox import Sandbox, SandboxClock

USER_ID = "u-demo"
UTC = datetime.UTC


def step(number: int, text: str) -> None:
    print(f"\n[{number}] {text}")


def show(app: bw.ApplicationResponse) -> None:
    url = app.inbound_callback_url or app.call_initiated_callback_url
    print(f"    {app.service_type.value:<13} {app.app_name!r:<22} {app.application_id}  -> {url}")


def main() -> None:
    step(1, "Starting the sandbox (a local Bandwidth: Dashboard and Catapult APIs) ...")
    clock = SandboxClock()
    with Sandbox(clock=clock) as sandbox:
        credential = sandbox.logins.clients[0]
        account_id = credential.accounts[0]
        print(f"    listening on {sandbox.url}")
        print(f"    Dashboard API {sandbox.dashboard_url}, Catapult API {sandbox.catapult_url}")
        print(
            f"    API credential {credential.client_id!r} (OAuth 2.0 client credentials) for"
            f" account {account_id}; tokens from {sandbox.url}/api/v1/oauth2/token"
        )
        dashboard = bw.DashboardClient(
            account_id, **sandbox.client_login, base_url=sandbox.dashboard_url
        )
        catapult = bw.CatapultClient(
            USER_ID,
            sandbox.catapult.username,
            sandbox.catapult.password,
            base_url=sandbox.catapult_url,
        )
        with dashboard, catapult:
            step(2, "Dashboard: creating a Messaging-V2 and a Voice-V2 application")
            messaging = dashboard.create(
                bw.Application(
                    service_type=bw.ServiceType.MESSAGING_V2,
                    app_name="Demo messaging",
                    inbound_callback_url="https://example.com/messages/inbound",
                    outbound_callback_url="https://example.com/messages/status",
                    inbound_callback_creds=bw.CallbackCredentials(
                        user_id="demo-user", password="demo-secret"
                    ),
                    requested_callback_types=bw.RequestedCallbackTypes(
                        callback_type=[
                            bw.CallbackType.MESSAGE_DELIVERED,
                            bw.CallbackType.MESSAGE_FAILED,
                        ]
                    ),
                )
            )
            voice = dashboard.create(
                bw.Application(
                    service_type=bw.ServiceType.VOICE_V2,
                    app_name="Demo voice",
                    call_initiated_callback_url="https://example.com/voice",
                    call_status_callback_url="https://example.com/voice/status",
                    callback_timeout=15,
                )
            )
            show(messaging)
            show(voice)
            print("    (the callback password went to the API; answers never carry it back)")
            tokens = sandbox.authority.token_requests
            print(f"    one access token served both calls ({tokens} token request)")

            step(3, "Catapult: creating an application (its id comes from the Location header)")
            legacy = catapult.create(
                bw.CatapultApplicationCreate(
                    name="Legacy app",
                    incoming_call_url="https://example.com/catapult/calls",
                    incoming_message_url="https://example.com/catapult/messages",
                    callback_http_method="GET",
                )
            )
            print(f"    {legacy.id}  {legacy.name!r}")

            step(4, "Listing the applications on both platforms")
            for app in dashboard.list():
                show(app)
            for app in catapult.list(page_size=10):
                print(f"    Catapult      {app.name!r:<22} {app.id}  -> {app.incoming_call_url}")

            step(5, "Updating: PATCH the voice application's name, and remove its status URL")
            patched = dashboard.patch(
                voice.application_id,
                bw.Application(
                    app_name="Demo voice (renamed)",
                    call_status_callback_url=bw.CallStatusCallbackUrlRemoval.REMOVE,
                ),
            )
            removed = patched.call_status_callback_url
            print(f"    AppName {patched.app_name!r}, CallStatusCallbackUrl {removed}")

            step(6, "Migrating the Catapult application to the Dashboard")
            plan = plan_migration(catapult.get(legacy.id))
            for note in plan.notes:
                print(f"    note: {note}")
            for app in plan.applications:
                show(dashboard.create(app))

            step(7, "Deleting the Catapult application, now migrated")
            catapult.delete(legacy.id)
            try:
                catapult.get(legacy.id)
            except bw.NotFoundError as error:
                print(f"    gone: {error.code}")

            step(8, "A mistake is caught before anything is sent")
            try:
                dashboard.create(
                    bw.Application(
                        service_type=bw.ServiceType.VOICE_V2, app_name="Oops", callback_timeout=30
                    )
                )
            except bw.ValidationError as error:
                for violation in error.violations:
                    print(f"    {violation.field}: {violation.rule}")

        step(9, "Legacy API users (username + password, HTTP Basic) end on 2 December 2026")
        for moment in (
            datetime.datetime(2026, 12, 1, 12, tzinfo=UTC),
            datetime.datetime(2026, 12, 2, 0, 0, 1, tzinfo=UTC),
        ):
            clock.travel_to(moment)  # the sandbox's clock only
            with warnings.catch_warnings(record=True) as warned:
                warnings.simplefilter("always")
                legacy = bw.DashboardClient(
                    account_id,
                    username=sandbox.dashboard.username,
                    password=sandbox.dashboard.password,
                    base_url=sandbox.dashboard_url,
                    retry=bw.NO_RETRY,
                )
            when = moment.strftime("%d %B %Y %H:%M UTC")
            with legacy:
                try:
                    count = len(legacy.list())
                    print(f"    {when}: Basic login accepted ({count} applications listed)")
                    for warning in warned:
                        print(f"      warning: {str(warning.message).split(';')[0]}")
                except bw.AuthenticationError as error:
                    print(f"    {when}: Basic login refused: HTTP {error.status}")
                    print(f"      {error.description}")

        stored = len(sandbox.store.dashboard_list(account_id))
        step(10, f"Stopping the sandbox ({stored} Dashboard applications stored)")
    print("\ndemo: done")


if __name__ == "__main__":
    main()
