"""Languages: gettext catalogs (via babel), client language codes, and babel formatting."""
