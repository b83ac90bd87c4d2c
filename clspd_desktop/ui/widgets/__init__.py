"""Small reusable widgets: record tables, search and date fields, field error labels, modal runner."""
