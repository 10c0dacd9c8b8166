"""Exercise modules of the intermediate course, one per lesson, named after the lesson file:
``courses/intermediate/NN-some-slug.ipynb`` -> ``datalit.lessons.exercises.intermediate.some_slug``."""
