"""Exports for people outside the project, each in its own module: the cameras in the
national standard-data layout (:mod:`warehouse.exports.standard_csv`) and the regulators'
comparison workbook (:mod:`warehouse.exports.workbook`). What both need, reading the
warehouse and making text inert for a spreadsheet, is in :mod:`warehouse.exports.shared`."""
