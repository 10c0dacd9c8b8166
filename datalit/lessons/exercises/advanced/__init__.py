"""Exercise modules of the advanced course, one per lesson, named after the lesson file:
``courses/advanced/NN-some-slug.ipynb`` -> ``datalit.lessons.exercises.advanced.some_slug``."""
