"""One module per page (or group of pages); each exposes ``router``. ``ROUTERS`` is the order they mount in."""
