"""Reading together: numbered paragraphs, links and citations of passages, the edition (issue 16).

``numbers`` numbers the paragraphs of running text; ``role`` gives ``{para}`` references to
labelled paragraphs; ``edition`` names the edition and the licence; ``citation`` writes the
"Cite this page" panel and its BibTeX and RIS files.
"""
