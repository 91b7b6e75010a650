"""The commands behind the Makefile: ``build``, ``check`` and ``serve``. They are not part of the extension."""
