-- The policy scorecard regulators sort and filter: one row per policy page, saying which
-- items of 시행령 제25조제1항 it states, whether it is an unfilled template, the retention
-- the page states and the retention its inventory rows say (apart, and both read by
-- keeps_over_30_days), whether an inventory was found (on the page or in a parsed
-- attachment), and the open quality issues of its institution. Reads only the build's tables, so it also
-- runs on an empty warehouse.
CREATE OR REPLACE VIEW policy_scorecard AS
WITH names AS (
    -- SCD-2: an institution renamed without a new code keeps its latest name.
    SELECT inst_code, arg_max(name, coalesce(valid_from, DATE '0001-01-01')) AS name
    FROM institutions
    GROUP BY inst_code
), page_rows AS (
    SELECT
        capture_sha256,
        count(*) AS rows,
        sum(camera_count) AS cameras,
        max(retention_days) FILTER (WHERE coalesce(recording, true)) AS retention_max
    FROM cameras
    WHERE source_kind = 'page' AND NOT is_template
    GROUP BY capture_sha256
), attachment_rows AS (
    SELECT
        inst_code,
        count(*) AS rows,
        sum(camera_count) AS cameras,
        max(retention_days) FILTER (WHERE coalesce(recording, true)) AS retention_max
    FROM cameras
    WHERE source_kind = 'attachment' AND NOT is_template
    GROUP BY inst_code
), issues AS (
    SELECT
        inst_code,
        count(*) FILTER (WHERE level = 'error') AS errors,
        count(*) FILTER (WHERE level = 'warning') AS warnings,
        count(*) FILTER (WHERE level = 'info') AS infos
    FROM quality_issues
    WHERE inst_code IS NOT NULL
    GROUP BY inst_code
)
SELECT
    p.inst_code,
    n.name AS institution,
    p.title,
    p.source_url,
    p.fetched_at,
    coalesce(list_contains(p.items_present, 1), false) AS item_1_basis_purpose,
    coalesce(list_contains(p.items_present, 2), false) AS item_2_count_location_range,
    coalesce(list_contains(p.items_present, 3), false) AS item_3_manager_access,
    coalesce(list_contains(p.items_present, 4), false) AS item_4_hours_retention_storage,
    coalesce(list_contains(p.items_present, 5), false) AS item_5_viewing_method,
    coalesce(list_contains(p.items_present, 6), false) AS item_6_subject_requests,
    coalesce(list_contains(p.items_present, 7), false) AS item_7_safeguards,
    coalesce(list_contains(p.items_present, 8), false) AS item_8_other,
    coalesce(len(list_filter(p.items_present, lambda x: x BETWEEN 1 AND 7)), 0)
        AS required_items_present,
    p.is_template,
    p.retention_days_min AS stated_retention_days_min,
    p.retention_days_max AS stated_retention_days_max,
    greatest(pr.retention_max, ar.retention_max) AS row_retention_days_max,
    greatest(p.retention_days_max, pr.retention_max, ar.retention_max) > 30
        AS keeps_over_30_days,
    coalesce(pr.rows, 0) + coalesce(ar.rows, 0) > 0 AS inventory_found,
    coalesce(pr.rows, 0) AS inventory_rows_on_page,
    coalesce(ar.rows, 0) AS inventory_rows_in_attachments,
    coalesce(pr.cameras, 0) + coalesce(ar.cameras, 0) AS camera_total,
    coalesce(i.errors, 0) AS open_issues_error,
    coalesce(i.warnings, 0) AS open_issues_warning,
    coalesce(i.infos, 0) AS open_issues_info
FROM policies p
LEFT JOIN names n ON n.inst_code = p.inst_code
LEFT JOIN page_rows pr ON pr.capture_sha256 = p.capture_sha256
LEFT JOIN attachment_rows ar ON ar.inst_code = p.inst_code
LEFT JOIN issues i ON i.inst_code = p.inst_code;
