"""Editors' mistakes: the catalogue of warnings (``catalogue``) and the checks that give them."""
