"""Uploads are judged by their own bytes: real PDF, PNG, JPEG and text pass with the sniffed type
stored; a disguised file is refused with a Swedish error naming the field, writing nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from samverkan.cases.models import Message
from samverkan.cases.testing import ready
from samverkan.lib.pdf import render_pdf
from samverkan.lib.uploads import sniff

from .helpers import events, text

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture(scope="module")
def pdf():
    return render_pdf("includes/pdf_style.html", {})


def test_real_files_are_recognised_by_their_bytes(pdf):
    assert pdf.startswith(b"%PDF") and sniff(pdf) == "application/pdf"
    assert sniff(image("PNG")) == "image/png" and sniff(image("JPEG")) == "image/jpeg"
    assert sniff("Epikris: åter till ordinärt boende.\r\n".encode()) == "text/plain"


@pytest.mark.parametrize(
    "data",
    [
        HTML,
        b"  \n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        EXE,
        b"PK\x03\x04" + b"\x00" * 40,  # zip
        "latin-1 text \xe5\xe4\xf6".encode("latin-1"),
        b"text with a \x00 byte",
    ],
)
def test_other_bytes_are_not_an_allowed_type(data):
    assert sniff(data) not in {"application/pdf", "image/png", "image/jpeg", "text/plain"}


def post_page(client, case, name, data, claimed):
    upload = SimpleUploadedFile(name, data, content_type=claimed)
    url = reverse("case_action", args=[case.public_id, "attach"])
    return client.post(url, {"version": case.version, "file": upload})


def post_api(api, user, case, name, data, claimed, key):
    upload = SimpleUploadedFile(name, data, content_type=claimed)
    return api.client.post(
        f"/api/v1/cases/{case.public_id}/attachments",
        {"version": case.version, "file": upload},
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def assert_nothing_written(case):
    version = case.version
    case.refresh_from_db()
    assert case.version == version and not case.attachments.exists()
    assert not Message.objects.filter(case=case, kind="attachment").exists()
    assert not events("case.attach").exists()


@pytest.mark.parametrize(
    "fmt, mime, ext", [("PNG", "image/png", ".png"), ("JPEG", "image/jpeg", ".jpg")]
)
def test_the_stored_type_is_the_sniffed_one(as_user, world, fmt, mime, ext):
    case = ready(world)
    data = image(fmt)
    response = post_page(as_user(world.ward_staff), case, "bild.pdf", data, "application/pdf")
    assert response.status_code == 302
    attachment = case.attachments.get()
    assert attachment.content_type == mime and attachment.file.name.endswith(ext)
    assert attachment.size == len(data) and attachment.file.read() == data


def test_a_real_pdf_on_the_page(as_user, world, pdf):
    case = ready(world)
    response = post_page(as_user(world.ward_staff), case, "epikris.pdf", pdf, "image/png")
    assert response.status_code == 302 and case.attachments.get().content_type == "application/pdf"


def test_disguised_html_is_refused_on_the_page(as_user, world):
    case = ready(world)
    response = post_page(as_user(world.ward_staff), case, "epikris.pdf", HTML, "application/pdf")
    assert response.status_code == 400
    assert "Filen är inte en PDF, PNG, JPEG eller textfil" in text(response)
    assert_nothing_written(case)


@pytest.mark.parametrize("data", [EXE, HTML, b""])
def test_disguised_or_empty_file_is_refused_in_the_api(api, world, data):
    case = ready(world)
    response = post_api(api, world.ward_staff, case, "epikris.pdf", data, "application/pdf", "u-1")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "file" and error["rule"] in {"type", "empty"}
    assert error["message"].startswith("Filen ")
    assert_nothing_written(case)


def test_a_real_jpeg_in_the_api_gets_its_own_type(api, world):
    case = ready(world)
    data = image("JPEG")
    response = post_api(api, world.ward_staff, case, "foto.png", data, "image/png", "u-2")
    assert response.status_code == 200
    assert response.json()["attachments"][0]["content_type"] == "image/jpeg"
