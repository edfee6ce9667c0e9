"""The web interface (pages: buildup.web.pages; the API and the app factory: issue 13)."""
