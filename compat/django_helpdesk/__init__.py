"""The django-helpdesk face (`djhd`): django-helpdesk 2.6.1's DRF API and the legacy form-POST API.

A package (unlike the sibling suites) because its test_cross_face.py shares a basename with
compat/osticket/test_cross_face.py; the tests import their helpers with `from .djhdutil import …`.
"""
