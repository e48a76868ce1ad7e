"""Hostile XML in an answer: XXE, billion laughs, external DTDs. Each is refused, nothing read."""

from __future__ import annotations

from pathlib import Path

import bandwidth_apps as bw
import httpx
import pytest
from bandwidth_apps._xml import UnsafeXml, parse_document

from tests.clients import Recorder, dashboard

SECRET = "root-secret-file-content-4d2e"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def hostile_bodies(secret_file: Path) -> dict[str, bytes]:
    uri = secret_file.as_uri()
    return {
        "xxe": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{uri}">]>'
            "<ApplicationProvisioningResponse><Application><ApplicationId>&x;</ApplicationId>"
            "<ServiceType>Voice-V2</ServiceType><AppName>&x;</AppName></Application>"
            "</ApplicationProvisioningResponse>"
        ).encode(),
        "billion laughs": (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(
                f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                for i in range(1, 10)
            )
            + "]><ErrorResponse><ResponseStatus><Description>&lol9;</Description>"
            "</ResponseStatus></ErrorResponse>"
        ).encode(),
        "external dtd": (
            f'<?xml version="1.0"?><!DOCTYPE ApplicationProvisioningResponse SYSTEM "{uri}">'
            "<ApplicationProvisioningResponse/>"
        ).encode(),
        "doctype lower case": b"<!doctype x><x/>",
    }


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("kind", ["xxe", "billion laughs", "external dtd", "doctype lower case"])
@pytest.mark.parametrize("status", [200, 400])
def test_hostile_answers_are_malformed_and_read_nothing(
    mode: str, kind: str, status: int, secret_file: Path
) -> None:
    body = hostile_bodies(secret_file)[kind]
    client = dashboard(
        mode, Recorder(lambda r: httpx.Response(status, content=body)), retry=bw.NO_RETRY
    )
    with pytest.raises(bw.MalformedResponseError, match="DOCTYPE") as raised:
        client.get("app-1")
    assert SECRET not in str(raised.value) and SECRET not in repr(raised.value)
    assert SECRET not in raised.value.body


def test_parser_itself_resolves_nothing_even_without_the_doctype_check(secret_file: Path) -> None:
    """Belt and braces: the lxml parser is configured to resolve no entity and load no DTD."""
    from bandwidth_apps import _xml

    body = hostile_bodies(secret_file)["xxe"]
    parser = _xml.strict_parser()
    from lxml import etree

    root = etree.fromstring(body, parser)
    assert SECRET not in etree.tostring(root).decode()
    with pytest.raises(UnsafeXml):
        parse_document(body)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_doctype_the_byte_filter_cannot_see_is_refused_after_parsing(encoding: str) -> None:
    """In UTF-16 or UTF-32 the bytes `<!DOCTYPE` never appear: the check after parsing is what
    refuses these (and no entity is ever expanded)."""
    text = (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
        '<!DOCTYPE r [<!ENTITY x "expanded">]><ErrorResponse><ResponseStatus>'
        "<Description>&x;</Description></ResponseStatus></ErrorResponse>"
    )
    body = text.encode(encoding)
    assert b"<!DOCTYPE" not in body
    try:
        parse_document(body)
    except UnsafeXml as refused:
        assert "DOCTYPE" in str(refused) or "not well-formed" in str(refused)
    else:
        pytest.fail("a document with a DOCTYPE was accepted")
    no_doctype = text.replace('<!DOCTYPE r [<!ENTITY x "expanded">]>', "").replace("&x;", "fine")
    assert parse_document(no_doctype.encode(encoding)).findtext(".//Description") == "fine"
