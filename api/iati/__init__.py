"""IATI 2.03 activity XML of a programme: the public (donor) view of its data.

- ``data``: the flat rows an export is built from, read in a fixed number of queries;
- ``build``: a pure function from those rows to the XML tree, with the problems
  met on the way (missing data) in plain words;
- ``checks``: the IATI rules the schema cannot express, checked on the tree;
- ``schema``: validation against the official 2.03 schema with lxml (no network);
- ``export``: the three together, as the page and ``manage.py export_iati`` use them.
"""
