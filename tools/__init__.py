"""Developer tools that are not part of the book (the book's code is the studybook package)."""
