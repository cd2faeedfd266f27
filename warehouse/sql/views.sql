-- Views for the questions researchers and regulators ask; they read only the tables above.

-- Stated retention per institution: from the policy page and from its camera rows.
CREATE OR REPLACE VIEW retention_by_institution AS
SELECT
    i.inst_code,
    i.name,
    min(p.retention_days_min) AS policy_retention_min,
    max(p.retention_days_max) AS policy_retention_max,
    min(c.retention_days) FILTER (WHERE c.recording) AS camera_retention_min,
    median(c.retention_days) FILTER (WHERE c.recording) AS camera_retention_median,
    max(c.retention_days) FILTER (WHERE c.recording) AS camera_retention_max
FROM institutions i
LEFT JOIN policies p USING (inst_code)
LEFT JOIN cameras c ON c.inst_code = i.inst_code AND NOT c.is_template
GROUP BY ALL;

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
