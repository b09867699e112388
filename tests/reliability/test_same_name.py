"""Item 15: a file named like a document from another folder never silently replaces it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from tests.reliability.helpers import long_report

runner = CliRunner()


def _ingest(data: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ingest", *args, "--data-dir", str(data)])
    return result.exit_code, result.output


def test_same_file_name_from_another_year_is_refused_naming_both_paths_then_kept_apart_or_replaced(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    y2023, y2024 = tmp_path / "2023", tmp_path / "2024"
    for folder, year in ((y2023, 2023), (y2024, 2024)):
        folder.mkdir()
        (folder / "总结.txt").write_text(long_report(6, tag=str(year), year=year), encoding="utf-8")
    (y2024 / "计划.txt").write_text(long_report(2, tag="计划", year=2024), encoding="utf-8")
    code, _ = _ingest(data, str(y2023))
    assert code == 0

    code, out = _ingest(data, str(y2024))

    assert code == 1  # a batch with a failed file exits non-zero
    assert "总结.txt" in out
    assert str((y2023 / "总结.txt").resolve()) in out.replace("\n", "")
    assert "--replace" in out
    assert "--source-prefix" in out
    assert "+ 计划.txt" in out  # the rest of the batch went on
    code, out = _ingest(data, "--source-prefix", "2024/", str(y2024))
    assert code == 0, out
    assert _sources(data) == {
        "总结.txt": y2023,
        "计划.txt": y2024,
        "2024/总结.txt": y2024,
        "2024/计划.txt": y2024,
    }

    code, out = _ingest(data, "--replace", str(y2024 / "总结.txt"))
    assert code == 0, out
    assert "~ 总结.txt" in out
    assert _sources(data)["总结.txt"] == y2024


def _sources(data: Path) -> dict[str, Path]:
    """Each document's source name → the folder of its recorded file."""
    from bot.services import build_services
    from bot.settings import Settings

    docs = build_services(Settings(data_dir=data, _env_file=None)).store.documents()
    return {d.source: Path(d.path).parent for d in docs}
