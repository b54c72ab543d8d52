"""Zip the offline site reproducibly: sorted entries, fixed timestamps;
and what the hosted site says of the zip it offers for download."""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

from .dates import long_date


def zip_site(site: Path, dist: Path, name: str, built: datetime) -> Path:
    dist.mkdir(parents=True, exist_ok=True)
    stamp = built.strftime("%Y-%m-%d")
    zip_path = dist / f"{name}-offline-{stamp}.zip"
    for old in dist.glob(f"{name}-offline-*.zip"):
        old.unlink()
    date_time = (max(built.year, 1980),) + built.timetuple()[1:6]
    partial = zip_path.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        # Not the "page not found" page: a web server shows it, never file://,
        # and its addresses start at the hosted site's root, so opened by hand
        # from disk it had no styles (fortieth round).
        for path in sorted(p for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() != "404.html"):
            info = zipfile.ZipInfo(f"{name}/{path.relative_to(site).as_posix()}", date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    partial.replace(zip_path)
    return zip_path


ZIP_NAME_RE = re.compile(r"-offline-(\d{4})-(\d{2})-(\d{2})\.zip$")


def offline_copy(path: str | None) -> dict | None:
    """What the site says of the offline zip it publishes: {"src" (where
    in the site), "size", "made"}; None without one."""
    if not path or not Path(path).is_file():
        return None
    zip_path = Path(path)
    size = zip_path.stat().st_size
    shown = f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1000))} KB"
    stamp = ZIP_NAME_RE.search(zip_path.name)
    made = (date(*map(int, stamp.groups())) if stamp
            else datetime.fromtimestamp(zip_path.stat().st_mtime, timezone.utc).date())
    return {"src": f"offline/{zip_path.name}", "size": shown, "made": long_date(made), "path": str(zip_path)}
