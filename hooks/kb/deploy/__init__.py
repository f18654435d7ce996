"""Deployment: publishing a built site to a static host, and the nginx configuration that serves it.

Owns, one concern a module:

- :mod:`~kb.deploy.release`: the host layout (``releases/<id>``, ``current``), site checks,
  release ids, the local target (copy, fsync, the atomic switch, prune, rollback);
- :mod:`~kb.deploy.remote`: the SSH target (ssh and rsync command lines, the host's ``sh`` scripts);
- :mod:`~kb.deploy.targets`: a target named on the command line → local or SSH;
- :mod:`~kb.deploy.csp`: a site's inline code against the Content-Security-Policy;
- :mod:`~kb.deploy.nginxconf`: the nginx configuration (who may read, TLS, the audit log);
- :mod:`~kb.deploy.errors`: :class:`~kb.deploy.errors.PublishError` and the operator's
  Chinese messages (a system error, a host's message, a refusal: one line each).

May import kb.urls (the build marker, :data:`kb.urls.BUILD_MARKER`), kb.data and kb.text;
never kb.site (the build), the features, kb.contrib (a tool beside it), nor anything from MkDocs. Its command line is
``scripts/publish.py``.
"""
