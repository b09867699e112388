"""The doctor's check of the file readers beyond Python (OCR models, antiword, catdoc)."""

from __future__ import annotations

from bot.cli.doctor.check import Check


def check_file_readers() -> Check:
    """The readers beyond Python: OCR models for scans (inside the rapidocr package) and antiword/catdoc for
    .doc/.wps. Missing tools only mean those files are refused, so they are reported, not failed.
    """
    import shutil

    from ingest.ocr import MISSING_MODELS_REASON, model_files

    name = "扫描件与旧版 Word"
    models = model_files()
    if not models or not all(path.is_file() for path in models.values()):
        return Check(
            name, "fail", MISSING_MODELS_REASON, "按 requirements.lock 重新安装依赖（pip install rapidocr）"
        )
    missing = [tool for tool in ("antiword", "catdoc") if shutil.which(tool) is None]
    if missing:
        detail = f"扫描件可识别；未安装 {'、'.join(missing)}，.doc/.wps 文件无法导入（apt-get install antiword catdoc）"
        return Check(name, "skip", detail)
    return Check(name, "ok", "扫描件识别模型随安装包自带；.doc/.wps 由 antiword、catdoc 读取")
