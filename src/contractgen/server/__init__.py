"""Server: ``contractgen serve`` — the spec as a local web page and a small JSON API, a face on the library.

Takes HTTP requests on the loopback address (a spec as YAML text or as a JSON object); gives the same
diagnostics as ``contractgen validate --format json``, an HTML preview, the DOCX or PDF, and the bundle zip.
Loading, validation, legal checks and rendering are the library's (:func:`contractgen.validation.check_spec`,
:func:`contractgen.document.load_contract`, :func:`contractgen.writers.rendering.render_documents`,
:func:`contractgen.bundling.worker.build_one`), called exactly as the CLI calls them.

- :mod:`.bodies`: a request body (YAML or JSON, at most 1 MiB) → the spec's bytes;
- :mod:`.guard`: the token, the ``Host`` (DNS rebinding) and the ``Origin`` (CSRF) of every request;
- :mod:`.tasks`: what a worker process does with one spec (preview, render, bundle);
- :mod:`.workers`: the warm worker pool (:mod:`contractgen.batch.pool`'s processes), bounded, with timeouts;
- :mod:`.form`, :mod:`.page`: the form generated from the type's schema, and the page around it (style and
  script in ``static/``, inline: nothing fetched from outside);
- :mod:`.app`: the routes; :mod:`.running`: the listening socket, the URL line, Ctrl-C.

This package must not validate, build or render anything itself (it calls the stages), must not render on the
event loop, must never read or write a path a request names (the only file it writes is the SPEC it was
started with), and must not be imported by ``import contractgen`` or the CLI's module (aiohttp loads only in
``serve``).
"""

from contractgen.server.app import ServerConfig, make_app
from contractgen.server.running import serve

__all__ = ["ServerConfig", "make_app", "serve"]
