"""The workspace's pages and changes, one module per subject; each endpoint reads the
workspace from ``request.app.state``. Pages are plain functions, which Starlette runs in
its thread pool: a slow page never holds up the others."""
