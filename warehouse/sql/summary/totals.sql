-- The demo summary's totals row: institutions crawled, what was read, quality issues.
SELECT
    (SELECT count(DISTINCT inst_code) FROM institutions WHERE crawled) AS institutions,
    (SELECT count(*) FROM policies) AS pages,
    (SELECT count(DISTINCT capture_sha256) FROM cameras WHERE source_kind = 'attachment')
        AS attachments,
    (SELECT count(*) FROM cameras WHERE NOT is_template) AS camera_rows,
    (SELECT coalesce(sum(camera_count), 0) FROM cameras WHERE NOT is_template) AS cameras,
    (SELECT min(d) FROM (SELECT retention_days AS d FROM cameras
        WHERE NOT is_template AND recording AND retention_days IS NOT NULL)) AS retention_min,
    (SELECT median(d) FROM (SELECT retention_days AS d FROM cameras
        WHERE NOT is_template AND recording AND retention_days IS NOT NULL))
        AS retention_median,
    (SELECT max(d) FROM (SELECT retention_days AS d FROM cameras
        WHERE NOT is_template AND recording AND retention_days IS NOT NULL)) AS retention_max,
    (SELECT count(*) FROM quality_issues) AS quality_issues
