"""The printed book: LaTeX margin notes and page design (``styles/``)."""
