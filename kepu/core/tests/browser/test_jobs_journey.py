"""An import as the officer lives it: upload, the job page's progress bar while the
background worker checks the file, the report, confirm, the saved list; the jobs list
and the job page on a phone."""

import re

import pytest

from kepu.core.tests.browser.fixtures import log_in, shot
from kepu.core.tests.test_excel import workbook

pytestmark = pytest.mark.browser

ROWS = 2000


def test_import_runs_as_a_job_with_a_live_progress_bar(page, server_url, tmp_path):
    # County B's region: the other journeys count county A's organizations.
    rows = [[f"旅程导入单位{i:04d}", "", "学校", "", "", "510703"] for i in range(ROWS)]
    path = tmp_path / "organizations.xlsx"
    path.write_bytes(workbook(rows).read())
    log_in(page, server_url, "demo-county-b")
    page.wait_for_url(re.compile(r".*/workbench/"))
    page.goto(f"{server_url}/imports/core.organization/new/")
    page.set_input_files("input[type=file]", str(path))
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    page.click("form button.btn-primary")
    # The job page first (the worker has not finished yet), then its report on its own.
    job_page = re.compile(r"^http://[^/]+/jobs/[0-9a-f-]+/$")
    page.wait_for_url(re.compile(r".*/imports/jobs/[0-9a-f-]+/$"), timeout=60_000)
    job_url = next(url for url in visited if job_page.match(url))
    assert f"{ROWS:,}" in page.locator(".row-cards").inner_text() or str(ROWS) in page.content()
    page.click("text=确认导入")
    page.wait_for_url(re.compile(r".*/organizations/$"), timeout=60_000)
    assert "旅程导入单位" in page.content() or "已导入" in page.content()

    page.goto(job_url)
    assert page.locator("[data-job=status_label]").inner_text() == "已完成"
    assert page.locator("progress[data-job=bar]").get_attribute("value") == "100"
    shot(page, "e2e-job-finished")
    page.goto(f"{server_url}/jobs/")
    assert page.locator("table tbody tr").count() >= 2
    shot(page, "e2e-job-list")
    assert page.console_errors == []


def test_job_pages_fit_a_phone(browser, server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, server_url, "demo-county-b")
    page.goto(f"{server_url}/jobs/")
    links = page.locator("table tbody a")
    if links.count():
        links.first.click()
        page.wait_for_url(re.compile(r".*/jobs/[0-9a-f-]+/$"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page overflows the phone screen: {width}px"
    shot(page, "e2e-job-phone")
    context.close()
