-- Views over the national standard data (standard_points) and how it compares with what the
-- policy pages state (cameras). They read only the tables; run after the tables exist.

-- One name per institution code (the most recent row of the SCD-2 dimension).
CREATE OR REPLACE VIEW institution_names AS
SELECT inst_code, arg_max(name, coalesce(valid_from, DATE '0001-01-01')) AS name
FROM institutions
GROUP BY inst_code;

-- The current standard data of each institution: the file (capture) whose rows carry the
-- latest 데이터기준일자, the later fetch on a tie. Older files stay in standard_points as
-- history; counting them too would add one vintage's cameras to another's. Rows whose
-- 관리기관명 did not resolve are kept, keyed by that name.
CREATE OR REPLACE VIEW standard_current AS
WITH per_capture AS (
    SELECT
        coalesce(inst_code, '?' || coalesce(inst_name_raw, '')) AS inst_key,
        capture_sha256,
        max(reference_date) AS reference_date,
        max(fetched_at) AS fetched_at
    FROM standard_points
    GROUP BY ALL
), chosen AS (
    SELECT inst_key, capture_sha256
    FROM (
        SELECT
            *,
            row_number() OVER (
                PARTITION BY inst_key
                ORDER BY reference_date DESC NULLS LAST, fetched_at DESC NULLS LAST,
                    capture_sha256
            ) AS rank
        FROM per_capture
    )
    WHERE rank = 1
)
SELECT s.*
FROM standard_points s
JOIN chosen c
  ON c.inst_key = coalesce(s.inst_code, '?' || coalesce(s.inst_name_raw, ''))
 AND c.capture_sha256 = s.capture_sha256;

-- Points, cameras and stated retention per institution in its current standard data.
-- retention_days maps each stated number of days to its count of points.
CREATE OR REPLACE VIEW standard_by_institution AS
SELECT
    s.inst_code,
    coalesce(n.name, any_value(s.inst_name_raw)) AS name,
    count(*) AS points,
    sum(s.camera_count) AS cameras,
    count(s.retention_days) AS points_with_retention,
    min(s.retention_days) AS retention_min,
    median(s.retention_days) AS retention_median,
    max(s.retention_days) AS retention_max,
    avg(CASE WHEN s.retention_days > 30 THEN 1.0 ELSE 0.0 END)
        FILTER (WHERE s.retention_days IS NOT NULL) AS retention_share_over_30,
    histogram(s.retention_days) FILTER (WHERE s.retention_days IS NOT NULL) AS retention_days,
    max(s.reference_date) AS reference_date,
    any_value(s.schema_generation) AS schema_generation,
    any_value(s.capture_sha256) AS capture_sha256
FROM standard_current s
LEFT JOIN institution_names n USING (inst_code)
GROUP BY s.inst_code, n.name, CASE WHEN s.inst_code IS NULL THEN s.inst_name_raw END;

-- Policy page vs standard data, per institution (domain.md §6 rule 22). The standard data
-- lists outdoor public-purpose cameras only, so standard ≤ policy is the expected relation.
-- flag, strongest condition first:
--   no_policy                 no camera count from the policy pages (template rows excluded)
--   no_standard               no camera count in the standard data
--   policy_below_half         policy total < 0.5 × standard total (implies the next)
--   standard_exceeds_policy   standard total > 1.2 × policy total
--   ok                        otherwise
CREATE OR REPLACE VIEW policy_vs_standard AS
WITH policy AS (
    SELECT inst_code, sum(camera_count) AS policy_cameras, count(*) AS policy_rows
    FROM cameras
    WHERE NOT is_template AND inst_code IS NOT NULL
    GROUP BY inst_code
), standard AS (
    SELECT inst_code, sum(camera_count) AS standard_cameras, count(*) AS standard_points
    FROM standard_current
    WHERE inst_code IS NOT NULL
    GROUP BY inst_code
)
SELECT
    inst_code,
    n.name,
    p.policy_rows,
    p.policy_cameras,
    s.standard_points,
    s.standard_cameras,
    round(s.standard_cameras / nullif(p.policy_cameras, 0), 3) AS standard_to_policy,
    CASE
        WHEN coalesce(p.policy_cameras, 0) = 0 THEN 'no_policy'
        WHEN coalesce(s.standard_cameras, 0) = 0 THEN 'no_standard'
        WHEN p.policy_cameras < 0.5 * s.standard_cameras THEN 'policy_below_half'
        WHEN s.standard_cameras > 1.2 * p.policy_cameras THEN 'standard_exceeds_policy'
        ELSE 'ok'
    END AS flag
FROM policy p
FULL JOIN standard s USING (inst_code)
LEFT JOIN institution_names n USING (inst_code);

-- Retention per institution from each source, side by side: what its policy pages state
-- (policies.retention_days_min/max, page-level statements included), what its policy camera
-- rows say (template rows and rows that do not record excluded; each row counts once), and
-- its current standard-data points. keeps_over_30_days reads the policy's statement and its
-- rows, so a policy-level retention counts even when no row carries one; row_share_over_30
-- and standard_share_over_30 are shares above the 30-day default of the 표준 개인정보
-- 보호지침 (a warning, not a legal limit).
CREATE OR REPLACE VIEW retention_by_source AS
WITH stated AS (
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
        count(retention_days) AS row_count,
        min(retention_days) AS row_min,
        median(retention_days) AS row_median,
        max(retention_days) AS row_max,
        avg(CASE WHEN retention_days > 30 THEN 1.0 ELSE 0.0 END)
            FILTER (WHERE retention_days IS NOT NULL) AS row_share_over_30
    FROM cameras
    WHERE NOT is_template AND inst_code IS NOT NULL AND coalesce(recording, true)
    GROUP BY inst_code
), standard AS (
    SELECT
        inst_code,
        count(retention_days) AS standard_points,
        min(retention_days) AS standard_min,
        median(retention_days) AS standard_median,
        max(retention_days) AS standard_max,
        avg(CASE WHEN retention_days > 30 THEN 1.0 ELSE 0.0 END)
            FILTER (WHERE retention_days IS NOT NULL) AS standard_share_over_30
    FROM standard_current
    WHERE inst_code IS NOT NULL
    GROUP BY inst_code
), codes AS (
    SELECT inst_code FROM stated
    UNION SELECT inst_code FROM row_said
    UNION SELECT inst_code FROM standard
)
SELECT
    inst_code,
    n.name,
    p.stated_min AS stated_retention_days_min,
    p.stated_max AS stated_retention_days_max,
    r.row_count AS row_retention_rows,
    r.row_min AS row_retention_days_min,
    r.row_median AS row_retention_days_median,
    r.row_max AS row_retention_days_max,
    r.row_share_over_30,
    greatest(p.stated_max, r.row_max) > 30 AS keeps_over_30_days,
    s.standard_points,
    s.standard_min,
    s.standard_median,
    s.standard_max,
    s.standard_share_over_30
FROM codes
LEFT JOIN stated p USING (inst_code)
LEFT JOIN row_said r USING (inst_code)
LEFT JOIN standard s USING (inst_code)
LEFT JOIN institution_names n USING (inst_code);
