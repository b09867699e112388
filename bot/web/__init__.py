"""The web console: server-rendered pages (Jinja2, htmx) on the same services and chat core as the chat apps.

``app.create_app`` builds the FastAPI app; ``run`` serves it with uvicorn (``reportbot web``, or beside the chat
front ends in ``reportbot serve``). Modules: ``accounts`` (the account file), ``sessions`` (server-side
sessions), ``security`` (headers, body limits, the client's address), ``deps`` (who is asking, roles, CSRF),
``render`` (templates and the nav), ``errors`` (the Chinese error pages), ``routes/`` (one module per page).
"""
