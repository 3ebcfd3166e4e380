"""Excel roster import and export (issue 4): reading, validation, writing, template, error workbook."""
