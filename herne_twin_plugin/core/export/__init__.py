"""Maps on paper: layouts, export to PDF/PNG (templates and atlases follow in issue 7)."""
