"""API docs from packaged assets: Swagger UI ships in a Python package, not from a CDN.

The page where administrators paste API keys loads no outside script, works offline, and has
no inline script (the Content-Security-Policy forbids them): Swagger UI starts from docs.js.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

OWN = Path(__file__).parent / "static"
MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".png": "image/png"}
# Only these files are served, so no path from the URL ever reaches the file system.
VENDOR_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")


def swagger_dir() -> Path:
    """Where the swagger-ui-bundle package keeps Swagger UI's distribution files."""
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


def page(title: str, openapi_url: str, assets: str) -> str:
    """The /docs page: Swagger UI's style sheet and script, then ours."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi="{escape(openapi_url)}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/docs.js"></script>
</body>
</html>
"""


def docs_router(title: str, openapi_url: str, path: str = "/docs") -> APIRouter:
    """GET /docs and its assets under /docs/assets/."""
    router = APIRouter(include_in_schema=False)
    vendor = swagger_dir()
    missing = [name for name in VENDOR_FILES if not (vendor / name).is_file()]
    if missing:  # a broken install should fail at start, not as a blank page
        raise RuntimeError(f"swagger-ui-bundle lacks {', '.join(missing)} in {vendor}")

    @router.get(path)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return HTMLResponse(page(title, root + openapi_url, f"{root}{path}/assets"))

    @router.get(path + "/assets/{name}")
    def asset(name: str) -> FileResponse:
        if name == "docs.js":
            file = OWN / name
        elif name in VENDOR_FILES:
            file = vendor / name
        else:
            raise HTTPException(404, "no such asset")
        return FileResponse(file, media_type=MEDIA[file.suffix],
                            headers={"cache-control": "public, max-age=86400"})

    return router
