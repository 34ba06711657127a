"""Each kind of document as ``validate`` and the build plan see it: what it is called, what the
data must give for it, and whom each of its documents is about and its title.

One module a kind, each defining ``KIND`` (a :class:`~dangjian_docs.documents.base.DocumentKind`)
and listed in :data:`dangjian_docs.documents.REGISTRY`. What a document says is written by the
module the kind names as its ``writer`` (``documents/plan.py`` for the plan), imported only when
a document is built: checking a file's titles loads none of it.
"""
