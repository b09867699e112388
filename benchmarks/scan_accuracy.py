"""Scanned pages: character accuracy of OCR on rendered Chinese pages, OCR seconds per page, and the mission
question answered from a scanned copy of report 000's 手足口病 section.

    PYTHONPATH=. python benchmarks/scan_accuracy.py [--corpus ../shared/corpus] [--no-mission]

Pages are rendered at 150 dpi with the CJK font (``tests/support/scans.py``): a 公文 (red 版头, 文号, seal over
its 落款, page number), the same page turned 90° either way and upside down, scanned askew (±2°, blurred, grainy,
JPEG quality 60), and report 000's 手足口病 section
(Traditional Chinese) as two pages with a running header; each is read as a PNG and as an image-only PDF through
``ingest.load.load_file`` (the reader ingest uses), in this process after one warm-up page, so the seconds are
the OCR cost per page (model loading is reported apart). Accuracy is 1 − edit distance ÷ printed characters,
whitespace ignored, over the lines printed (page numbers and running headers are not text and must be dropped).
The mission question runs the real CLI (``reportbot ingest`` then ``reportbot ask``) on a fresh data dir.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.load import load_file  # noqa: E402
from tests.support.scans import (  # noqa: E402
    char_accuracy,
    gongwen_page,
    hfmd_pages,
    render,
    save_pdf,
    scanned_copy,
)

QUESTION = "上半年手足口病防控做了什么"


def main() -> None:
    """Measure and print one table row per page and form, the totals, then the mission answer."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--no-mission", action="store_true", help="skip the ingest + ask run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scan-bench-"))

    cases: list[tuple[str, list[object], str]] = []
    for name, rotate in (
        ("公文（印章、版头）", 0),
        ("公文 左转90°", 90),
        ("公文 右转90°", 270),
        ("公文 倒置", 180),
    ):
        page = gongwen_page()
        cases.append((name, [render(page, rotate=rotate)], "\n".join(page.printed)))
    for angle in (1.5, -2.5):
        page = gongwen_page()
        cases.append(
            (f"公文 扫描件 倾斜{angle:+g}°", [scanned_copy(render(page), angle)], "\n".join(page.printed))
        )
    pages = hfmd_pages(args.corpus.resolve())
    images = [render(p) for p in pages]
    cases.append(("000 手足口病（繁体，两页）", images, "\n".join(line for p in pages for line in p.printed)))

    started = time.perf_counter()
    warm = work / "warm.png"
    cases[0][1][0].save(warm)  # type: ignore[attr-defined]
    load_file(warm)
    print(f"模型加载与首页预热: {time.perf_counter() - started:.1f} s")
    print(f"{'页面':<24}{'格式':<6}{'页数':>4}{'字符准确率':>12}{'秒/页':>8}")
    total_chars = total_errors = 0.0
    total_pages = 0
    total_seconds = total_cpu = 0.0
    for name, page_images, truth in cases:
        for form in ("png", "pdf"):
            if form == "png" and len(page_images) > 1:
                path = work / f"{name}.tif"
                page_images[0].save(path, save_all=True, append_images=page_images[1:])  # type: ignore[attr-defined]
            elif form == "png":
                path = work / f"{name}.png"
                page_images[0].save(path)  # type: ignore[attr-defined]
            else:
                path = save_pdf(page_images, work / f"{name}.pdf")  # type: ignore[arg-type]
            t, cpu = time.perf_counter(), time.process_time()
            read = load_file(path).text
            seconds = time.perf_counter() - t
            total_cpu += time.process_time() - cpu
            accuracy = char_accuracy(truth, read)
            chars = len("".join(truth.split()))
            total_chars += chars
            total_errors += (1 - accuracy) * chars
            total_pages += len(page_images)
            total_seconds += seconds
            shown = "tif" if path.suffix == ".tif" else form
            print(
                f"{name:<24}{shown:<6}{len(page_images):>4}{accuracy:>12.2%}{seconds / len(page_images):>8.2f}"
            )
    print(
        f"合计: {total_pages} 页, 字符准确率 {1 - total_errors / total_chars:.2%}, "
        f"平均 {total_seconds / total_pages:.2f} 秒/页，CPU {total_cpu / total_pages:.2f} 秒/页（两个线程的 CPU 时间之和，受机器负载影响较小）"
        f" (os.cpu_count()={os.cpu_count()}, 1 分钟负载 {os.getloadavg()[0]:.1f})"
    )
    if not args.no_mission:
        _mission(images, work)


def _mission(images: list[object], work: Path) -> None:
    """The scanned 手足口病 section as an image-only PDF, ingested and asked about through the CLI."""
    docs = work / "docs"
    docs.mkdir()
    save_pdf(images, docs / "衛生局上半年工作總結（掃描件）.pdf")  # type: ignore[arg-type]
    data = work / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_")}
    env["PYTHONPATH"] = str(REPO)
    for args in (["ingest", str(docs)], ["ask", QUESTION]):
        t = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", *args, "--data-dir", str(data)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        print(
            f"\n$ reportbot {' '.join(args[:1] + [repr(a) for a in args[1:]])}  ({time.perf_counter() - t:.1f} s)"
        )
        print(done.stdout.strip() or done.stderr.strip())


if __name__ == "__main__":
    main()
