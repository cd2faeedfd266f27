-- The demo summary: one row per crawled institution, what was read from its site.
-- Retention in days from the camera rows (recording, not templates) and the policies'
-- stated span; pages and files from the crawl that gave the current policies.
WITH cams AS (
    SELECT inst_code,
           count(*) FILTER (WHERE NOT is_template) AS camera_rows,
           count(*) FILTER (WHERE is_template) AS template_rows,
           sum(camera_count) FILTER (WHERE NOT is_template) AS cameras
    FROM cameras GROUP BY inst_code
), retention AS (
    SELECT inst_code, retention_days AS days FROM cameras
    WHERE NOT is_template AND recording AND retention_days IS NOT NULL
    UNION ALL
    SELECT inst_code, unnest([retention_days_min, retention_days_max]) FROM policies
), current AS (
    SELECT DISTINCT k.inst_code, k.crawl_id
    FROM policies p JOIN captures k ON k.sha256 = p.capture_sha256 AND k.inst_code = p.inst_code
), caps AS (
    SELECT k.inst_code,
           count(DISTINCT k.sha256) FILTER (WHERE k.role = 'policy' AND k.status = 200) AS pages,
           count(DISTINCT k.sha256) FILTER (WHERE k.role = 'attachment' AND k.status = 200)
               AS attachments
    FROM captures k JOIN current USING (inst_code, crawl_id)
    GROUP BY k.inst_code
)
SELECT i.inst_code, i.name, i.short_name,
       coalesce(caps.pages, 0) AS pages,
       coalesce(caps.attachments, 0) AS attachments,
       coalesce(cams.camera_rows, 0) AS camera_rows,
       coalesce(cams.template_rows, 0) AS template_rows,
       coalesce(cams.cameras, 0) AS cameras,
       (SELECT min(days) FROM retention r WHERE r.inst_code = i.inst_code) AS retention_min,
       (SELECT median(days) FROM retention r WHERE r.inst_code = i.inst_code) AS retention_median,
       (SELECT max(days) FROM retention r WHERE r.inst_code = i.inst_code) AS retention_max
FROM institutions i
LEFT JOIN caps USING (inst_code)
LEFT JOIN cams USING (inst_code)
WHERE i.crawled
ORDER BY i.inst_code
