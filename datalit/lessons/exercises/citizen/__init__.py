"""Exercise modules of the citizen course, one per lesson, named after the lesson file:
``courses/citizen/NN-some-slug.ipynb`` -> ``datalit.lessons.exercises.citizen.some_slug``."""
