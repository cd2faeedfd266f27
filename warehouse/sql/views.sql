-- Views for the questions researchers and regulators ask; they read only the tables above.

-- Retention per institution, two questions kept apart. "What does it state": the retention
-- its policy pages give (policies.retention_days_min/max, which take in page-level
-- statements such as 김천's "촬영일로부터 30일" for all cameras). "What do its rows say": the
-- retention_days of its camera rows (template rows and rows that do not record excluded).
-- A policy-level retention is never lost because no camera row carries it: the regulator's
-- "keeps footage over 30 days" (keeps_over_30_days, over_30_said_by) reads both.
-- One row per institution code, under its latest name.
CREATE OR REPLACE VIEW retention_by_institution AS
WITH names AS (
    SELECT inst_code, arg_max(name, coalesce(valid_from, DATE '0001-01-01')) AS name
    FROM institutions
    GROUP BY inst_code
), stated AS (
    SELECT
        inst_code,
        min(retention_days_min) AS stated_min,
        max(retention_days_max) AS stated_max
    FROM policies
    WHERE inst_code IS NOT NULL
    GROUP BY inst_code
), row_said AS (
    SELECT
        inst_code,
        count(retention_days) AS rows_with_retention,
        min(retention_days) AS row_min,
        median(retention_days) AS row_median,
        max(retention_days) AS row_max,
        count(*) FILTER (WHERE retention_days > 30) AS rows_over_30
    FROM cameras
    WHERE NOT is_template AND coalesce(recording, true) AND inst_code IS NOT NULL
    GROUP BY inst_code
)
SELECT
    n.inst_code,
    n.name,
    s.stated_min AS stated_retention_days_min,
    s.stated_max AS stated_retention_days_max,
    coalesce(r.rows_with_retention, 0) AS rows_with_retention,
    r.row_min AS row_retention_days_min,
    r.row_median AS row_retention_days_median,
    r.row_max AS row_retention_days_max,
    coalesce(r.rows_over_30, 0) AS rows_over_30_days,
    greatest(s.stated_max, r.row_max) AS retention_days_max,
    greatest(s.stated_max, r.row_max) > 30 AS keeps_over_30_days,
    CASE
        WHEN s.stated_max > 30 AND r.row_max > 30 THEN 'both'
        WHEN s.stated_max > 30 THEN 'policy'
        WHEN r.row_max > 30 THEN 'rows'
    END AS over_30_said_by
FROM names n
LEFT JOIN stated s USING (inst_code)
LEFT JOIN row_said r USING (inst_code);

-- The regulator's question "who keeps footage over 30 days" (30 days is the default of the
-- 표준 개인정보 보호지침: a mark for a closer look, not a legal limit). An institution is here
-- when its policy states more than 30 days or any of its camera rows says so; said_by tells
-- which, so a policy that states 60 days for all cameras is here even when no row carries a
-- retention, and rows that say 60 are here even when the policy states 30.
CREATE OR REPLACE VIEW retention_over_30_days AS
SELECT
    inst_code,
    name,
    stated_retention_days_max,
    row_retention_days_max,
    rows_over_30_days,
    retention_days_max,
    over_30_said_by AS said_by
FROM retention_by_institution
WHERE keeps_over_30_days;

-- Which of the eight items of 시행령 제25조제1항 each policy page states.
CREATE OR REPLACE VIEW item_coverage AS
SELECT
    p.inst_code,
    i.name,
    p.title,
    p.items_present,
    len(list_filter(p.items_present, lambda x: x BETWEEN 1 AND 7)) AS required_items_present,
    list_filter([1, 2, 3, 4, 5, 6, 7, 8], lambda x: NOT list_contains(p.items_present, x)) AS items_missing,
    p.is_template,
    p.source_url
FROM policies p
LEFT JOIN institutions i USING (inst_code);

-- Cameras per institution and purpose, template rows excluded.
CREATE OR REPLACE VIEW cameras_by_purpose AS
SELECT inst_code, purpose, count(*) AS camera_rows, sum(camera_count) AS cameras
FROM cameras
WHERE NOT is_template
GROUP BY ALL;
