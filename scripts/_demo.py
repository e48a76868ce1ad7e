"""The main job, end to end, on a local Bandwidth: start the sandbox, provision applications on
both platforms through the real clients, migrate one, and stop."""

from __future__ import annotations

import bandwidth_apps as bw
from bandwidth_apps._migrate import plan_migration
from bandwidth_apps.sandbox import Sandbox

ACCOUNT_ID, USER_ID = "9900001", "u-demo"


def step(number: int, text: str) -> None:
    print(f"\n[{number}] {text}")


def show(app: bw.ApplicationResponse) -> None:
    url = app.inbound_callback_url or app.call_initiated_callback_url
    print(f"    {app.service_type.value:<13} {app.app_name!r:<22} {app.application_id}  -> {url}")


def main() -> None:
    step(1, "Starting the sandbox (a local Bandwidth: Dashboard and Catapult APIs) ...")
    with Sandbox() as sandbox:
        print(f"    listening on {sandbox.url}")
        print(f"    Dashboard API {sandbox.dashboard_url}, Catapult API {sandbox.catapult_url}")
        dashboard = bw.DashboardClient(
            ACCOUNT_ID,
            sandbox.dashboard.username,
            sandbox.dashboard.password,
            base_url=sandbox.dashboard_url,
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

        stored = len(sandbox.store.dashboard_list(ACCOUNT_ID))
        step(9, f"Stopping the sandbox ({stored} Dashboard applications stored)")
    print("\ndemo: done")


if __name__ == "__main__":
    main()
