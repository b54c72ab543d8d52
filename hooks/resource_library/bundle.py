"""Zip the offline site reproducibly: sorted entries, fixed timestamps."""
from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path


def zip_site(site: Path, dist: Path, name: str, built: datetime) -> Path:
    dist.mkdir(parents=True, exist_ok=True)
    stamp = built.strftime("%Y-%m-%d")
    zip_path = dist / f"{name}-offline-{stamp}.zip"
    for old in dist.glob(f"{name}-offline-*.zip"):
        old.unlink()
    date_time = (max(built.year, 1980),) + built.timetuple()[1:6]
    partial = zip_path.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{name}/{path.relative_to(site).as_posix()}", date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    partial.replace(zip_path)
    return zip_path
