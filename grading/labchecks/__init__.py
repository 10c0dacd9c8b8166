"""Self-checking questions of the team labs (reference answers computed from the real data).

Test cells in ``labs/<lab>/<lab>.ipynb`` call ``qN.assert_ok()`` (datalit.lessons' ``Question``):
an AssertionError with a Korean message means 0 points for that test cell in nbgrader.
"""
