"""Issue 17: a PDF link beside every .docx. The web answers at once: the PDF when a worker has made it,
else the conversion is queued (202, a page that reloads itself, the .docx offered meanwhile); a document
outside the user's scope is the same 404 as a missing one."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from inspections.documents import order_docx
from lib import pdf
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(village, inspector, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # no PDF kept by an earlier test
    shop = f.BusinessFactory(village=village, category=f.category("grocery"), name="东村便利店")
    f.licensed(shop)
    day = timezone.localdate() - datetime.timedelta(days=2)
    return inspect(shop, inspector, day=day, fails=("C2-1",)).orders_issued.get()


def test_order_pdf_is_queued_then_served(client, inspector, order, django_capture_on_commit_callbacks):
    client.force_login(inspector)
    url = reverse("inspections:order_pdf", args=[order.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.get(url)
    assert response.status_code == 202
    page = response.content.decode()
    assert "正在生成 PDF" in page and reverse("inspections:order_docx", args=[order.pk]) in page
    assert len(queued) == 1  # the conversion goes to the worker after the request's commit
    key = pdf.content_key(order_docx(order))
    assert default_storage.exists(f"pdf/{key}.docx")
    # What the worker runs (LibreOffice for real), then the same link serves the PDF.
    assert pdf.convert_stored(key) == f"pdf/{key}.pdf"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_order_pdf_of_another_village_is_404(client, other_inspector, order):
    client.force_login(other_inspector)
    assert client.get(reverse("inspections:order_pdf", args=[order.pk])).status_code == 404


def test_pdf_page_offers_the_docx_where_libreoffice_is_missing(client, inspector, order, monkeypatch):
    monkeypatch.setenv("WUXIAO_SOFFICE", "")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    client.force_login(inspector)
    response = client.get(reverse("inspections:order_pdf", args=[order.pk]))
    assert response.status_code == 503
    assert "未安装 LibreOffice" in response.content.decode()
