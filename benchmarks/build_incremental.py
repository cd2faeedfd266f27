"""Warehouse-scale build: a full build, a no-change rebuild, and the national
retention-by-institution query against a bare Parquet scan of the same table.

Input: 243 institutions, each with a policy page (a per-department table) and a CSV
inventory attachment, ≥1,000,000 camera rows in all, archived as a crawl would archive
them. Targets: the no-change rebuild ≤ 10% of the full build; the retention query ≤ 3× the
bare scan. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.paths import data_paths
from archive.writer import ArchiveWriter
from benchmarks._timing import interleaved
from registry import Institution
from warehouse.build import build

PURPOSES = ["생활방범", "어린이보호", "쓰레기단속", "교통단속", "시설물관리", "재난재해"]
RETENTION = ["30일", "촬영일로부터 30일", "14일", "1개월", "7일", "20일", "녹화무"]
HTML = [("Content-Type", "text/html; charset=utf-8")]
CSV = [("Content-Type", "text/csv; charset=utf-8")]


def institutions(count: int) -> list[Institution]:
    return [
        Institution(
            inst_code=f"{3000000 + n * 1000:07d}",
            name=f"가상시 {n}구",
            short_name=f"{n}구",
            level="gu",
            parent_code="6110000",
            homepage=f"https://gu{n}.example.go.kr",
        )
        for n in range(count)
    ]


def policy_page(inst: Institution, rng: random.Random) -> bytes:
    rows = "".join(
        f"<tr><td>{d}과</td><td>{rng.choice(PURPOSES)}</td><td>{rng.randint(1, 40)}대</td>"
        f"<td>{d}청사 출입구</td><td>24시간</td><td>{rng.choice(RETENTION)}</td>"
        f"<td>{d}과 사무실</td></tr>"
        for d in range(1, 21)
    )
    return (
        f"<html><head><title>영상정보처리기기 운영·관리 방침 | {inst.name}</title></head>"
        f"<body><h3>{inst.name} 영상정보처리기기 운영·관리 방침</h3>"
        "<h4>1. 설치 근거 및 설치 목적</h4><p>범죄 예방 및 시설안전</p>"
        "<h4>2. 설치 대수, 설치 위치 및 촬영 범위</h4><table><thead><tr><th>담당부서</th>"
        "<th>설치목적</th><th>설치대수</th><th>설치위치</th><th>촬영시간</th>"
        f"<th>보관기간</th><th>보관장소</th></tr></thead><tbody>{rows}</tbody></table>"
        "<h4>3. 관리책임자 및 접근권한자</h4><h4>4. 촬영시간, 보관기간, 보관장소</h4>"
        "<h4>5. 확인방법 및 장소</h4><h4>6. 열람 등 요구에 대한 조치</h4>"
        "<h4>7. 안전성 확보조치</h4><p>기술적·관리적 및 물리적 조치</p>"
        "</body></html>"
    ).encode()


def inventory_csv(rows: int, rng: random.Random) -> bytes:
    lines = ["연번,관리부서,설치목적,설치위치,설치대수,촬영시간,보관기간,보관장소"]
    for n in range(1, rows + 1):
        lines.append(
            f"{n},안전{n % 9}과,{rng.choice(PURPOSES)},{n}번 교차로 인근,"
            f"{rng.randint(1, 6)},24시간,{rng.choice(RETENTION)},통합관제센터"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


G4_HEADER = (
    "개방자치단체코드,관리번호,관리기관명,소재지도로명주소,소재지지번주소,설치목적구분,"
    "카메라대수,카메라화소수,촬영방면정보,보관일수,설치연월,관리기관전화번호,WGS84위도,"
    "WGS84경도,데이터기준일자,데이터갱신구분,데이터갱신시점,최종수정시점"
)


def standard_csv(registry: list[Institution], rows: int, rng: random.Random) -> bytes:
    """National standard data (newest layout) for the same institutions, CP949 as shipped."""
    lines = [G4_HEADER]
    for n in range(rows):
        inst = registry[n % len(registry)]
        lines.append(
            f"{inst.inst_code},2026{inst.inst_code}{n:06d},{inst.name}청,,{inst.name} {n}번지,"
            f"{rng.choice(PURPOSES)},{rng.randint(1, 4)},200,360도 전방면,30,"
            f"2020-0{rng.randint(1, 9)},"
            f"02-000-{1000 + n % 9000},{37 + rng.random():.6f},{127 + rng.random():.6f},"
            "2026-05-18,,2026-05-19 22:58:23,2026-05-18 15:24:18"
        )
    return ("\n".join(lines) + "\n").encode("cp949")


def generate(
    root: Path, registry: list[Institution], rows_each: int, standard_rows: int = 0
) -> int:
    rng = random.Random(7)
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with ArchiveWriter(data_paths(root), "crawl-20261101T000000000000Z") as writer:
        for inst in registry:
            writer.write_exchange(
                url=f"{inst.homepage}/policy",
                status=200,
                reason="OK",
                response_headers=HTML,
                body=policy_page(inst, rng),
                fetched_at=at,
                inst_code=inst.inst_code,
                role="policy",
            )
            writer.write_exchange(
                url=f"{inst.homepage}/FileDown.do?atchFileId=1",
                status=200,
                reason="OK",
                response_headers=CSV,
                body=inventory_csv(rows_each, rng),
                fetched_at=at,
                inst_code=inst.inst_code,
                role="attachment",
            )
        if standard_rows:
            writer.write_file(
                standard_csv(registry, standard_rows, rng),
                role="standard",
                url="file:///national/cctv.csv",
                filename="cctv.csv",
                fetched_at=at,
            )
    return len(registry) * (rows_each + 20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--institutions", type=int, default=243)
    parser.add_argument("--rows", type=int, default=4100, help="inventory rows each")
    parser.add_argument("--standard", type=int, default=100_000, help="standard-data rows")
    args = parser.parse_args()
    registry = institutions(args.institutions)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        expected = generate(root, registry, args.rows, args.standard)
        paths = data_paths(root)
        start = time.perf_counter()
        report = build(paths, registry, force=True)
        full = time.perf_counter() - start
        start = time.perf_counter()
        again = build(paths, registry)
        rebuild = time.perf_counter() - start
        assert again.up_to_date
        cameras = report.rows["cameras"]
        points = report.rows.get("standard_points", 0)
        parquet = str(paths.parquet_dir / "cameras.parquet")
        con = duckdb.connect(str(paths.duckdb), read_only=True)
        bare_sql = (
            "SELECT inst_code, min(retention_days), median(retention_days), "
            f"max(retention_days) FROM read_parquet('{parquet}') "
            "WHERE NOT is_template AND recording GROUP BY inst_code"
        )
        t_query, t_bare = interleaved(
            lambda: con.execute("SELECT * FROM retention_by_institution").fetchall(),
            lambda: con.execute(bare_sql).fetchall(),
            rounds=9,
        )
        con.close()
    print(
        f"{cameras:,} camera rows ({expected:,} generated) and {points:,} standard-data "
        f"points from {len(registry)} institutions"
    )
    print(
        f"full build {full:.1f}s; no-change rebuild {rebuild:.3f}s; "
        f"retention query {t_query * 1000:.1f} ms vs bare Parquet scan {t_bare * 1000:.1f} ms"
    )
    print(
        json.dumps(
            {
                "benchmark": "build_incremental",
                "institutions": len(registry),
                "camera_rows": cameras,
                "standard_points": points,
                "full_build_s": round(full, 2),
                "no_change_rebuild_s": round(rebuild, 3),
                "rebuild_ratio": round(rebuild / full, 4),
                "rebuild_target": 0.10,
                "retention_query_ms": round(t_query * 1000, 2),
                "bare_scan_ms": round(t_bare * 1000, 2),
                "query_ratio": round(t_query / t_bare, 2),
                "query_target": 3.0,
                "within_targets": rebuild / full <= 0.10 and t_query / t_bare <= 3.0,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
