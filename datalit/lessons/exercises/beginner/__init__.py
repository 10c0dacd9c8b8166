"""Exercise modules of the beginner course, one per lesson, named after the lesson file:
``courses/beginner/NN-some-slug.ipynb`` -> ``datalit.lessons.exercises.beginner.some_slug``."""
