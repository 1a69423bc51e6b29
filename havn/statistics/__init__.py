"""National statistics: measures and dimensions, disclosure control, tables and downloads."""
