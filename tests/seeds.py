"""The four seed institutions and the figures the tests expect of them, said once.

Each seed is a policy page saved from a real site (../shared/seeds/NNN_*.txt); the sample web
(crawler/sample_web/sites/HOST/) serves it as HTML with the files it links to, and `cctv demo`
crawls those sites. The figures come from there:

- 미추홀구's page carries the inventory as an HTML table of 25 count cells that sum to 2,855
  (../shared/docs/domain.md §4, computed from the seed);
- 김천시 and 군산시 state their cameras in an attached workbook (files/ on their sample site),
  so their page alone has no camera rows: the demo reads 12 and 15 rows from the attachments;
- 서울특별시's page and 군산시's page are templates (○○○, 00대): their rows carry no count.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seed:
    """One seed institution as the registry, the sample web and the demo know it."""

    code: str  # 기관코드 in registry/institutions.csv
    name: str  # the registry's full name
    host: str  # its sample site (crawler/sample_web/sites/HOST), as the real host is named
    seed: str  # the page it was saved from: ../shared/seeds/SEED.txt
    area_code: str  # 지역번호 its phone numbers are read against
    page_cameras: int  # cameras stated on the policy page itself (`cctv parse` of the page)
    camera_rows: int  # camera rows the demo warehouse holds, attachments included
    cameras: int  # their camera_count, summed (template rows count none)
    template: bool  # the page is a template (○○○, 00대)


MICHUHOL = Seed(
    "3510500", "인천광역시 미추홀구", "www.michuhol.go.kr", "002_6c038f23396b40be", "032",
    page_cameras=2855, camera_rows=25, cameras=2855, template=False,
)  # fmt: skip
GIMCHEON = Seed(
    "5060000", "경상북도 김천시", "www.gimcheon.go.kr", "000_e8fe9519f121d4c0", "054",
    page_cameras=0, camera_rows=12, cameras=894, template=False,
)  # fmt: skip
SEOUL = Seed(
    "6110000", "서울특별시", "www.seoul.go.kr", "001_112affc0cf1e836e", "02",
    page_cameras=0, camera_rows=0, cameras=0, template=True,
)  # fmt: skip
GUNSAN = Seed(
    "4671000", "전북특별자치도 군산시", "www.gunsan.go.kr", "004_793eecea33de5a88", "063",
    page_cameras=0, camera_rows=15, cameras=2176, template=True,
)  # fmt: skip

INSTITUTIONS = (MICHUHOL, GIMCHEON, SEOUL, GUNSAN)
TEMPLATES = tuple(seed for seed in INSTITUTIONS if seed.template)

# The demo's warehouse over all four sites (`cctv demo --json` totals).
DEMO_INSTITUTIONS = len(INSTITUTIONS)
DEMO_CAMERA_ROWS = sum(seed.camera_rows for seed in INSTITUTIONS)
DEMO_CAMERAS = sum(seed.cameras for seed in INSTITUTIONS)
